-- Reference data (SPEC §2) and what every other family builds on: the server's own role, the
-- time conversions every store uses, the caller's per-transaction settings, and the seeded
-- provinces and sectors.

-- Pooled connections SET ROLE to sitrep_app so that row-level security applies to all the
-- server runs: it is neither superuser, owner of any table nor BYPASSRLS. Roles are
-- cluster-wide while migrations run per database (test databases share one cluster), so the
-- role may already exist, or another database's migration may be creating it right now: a
-- concurrent CREATE ROLE fails with unique_violation rather than duplicate_object.
DO $$
BEGIN
  CREATE ROLE sitrep_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- A non-superuser owner must be a member of sitrep_app to SET ROLE to it. Superusers may
-- SET ROLE to anything and pg_has_role() says so, which skips the grant for them.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'sitrep_app', 'MEMBER') THEN
    EXECUTE format('GRANT sitrep_app TO %I', current_user);
  END IF;
EXCEPTION
  WHEN unique_violation THEN NULL;  -- granted concurrently by another database's migration
END
$$;

GRANT USAGE ON SCHEMA public TO sitrep_app;
-- Sequences of tables made by this and the later files (identity columns need no grant, but a
-- plain sequence would). Table privileges are granted table by table, as each needs.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO sitrep_app;

-- Times cross the SQL boundary as microseconds since the Unix epoch (bigint), which carries
-- a protobuf Timestamp or a std::chrono time point without rounding (storage/sql_types.h).
-- The bodies go through `timestamp without time zone` at UTC so that every step is immutable
-- (timestamptz arithmetic may depend on TimeZone in general): PostgreSQL inlines only
-- functions whose body is as immutable as the declaration, and these run for every row of a
-- feed page and of an ingest group. Exact to the microsecond whatever the TimeZone setting
-- (storage/migrations_pgtest.cc).
CREATE FUNCTION sitrep_micros(t timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (extract(epoch FROM t AT TIME ZONE 'UTC') * 1000000)::bigint;

CREATE FUNCTION sitrep_time(micros bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (timestamp 'epoch' + micros * interval '1 microsecond') AT TIME ZONE 'UTC';

-- The minute a time falls in, whatever the session's time zone (date_trunc would follow it).
CREATE FUNCTION sitrep_minute(at timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN date_bin(interval '1 minute', at, timestamptz 'epoch');

-- The caller's identity comes from the per-transaction settings storage/transaction.cc sets
-- (sitrep.role, sitrep.province, sitrep.enterprise_id, sitrep.sector, sitrep.principal_id);
-- every row-level security policy reads them. An unset setting reads as '' and matches
-- nothing, so a transaction that forgot SetCaller sees no records at all.
CREATE FUNCTION sitrep_setting_bigint(name text) RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN nullif(current_setting(name, true), '')::bigint;

-- GB/T 2260 provincial-level codes plus 660000 for the Xinjiang Production and Construction
-- Corps (shared/reference/provinces.csv). Small and read by every request: with Citus these
-- are reference tables, copied to every node (SPEC §8).
CREATE TABLE provinces (
  code integer PRIMARY KEY CHECK (code BETWEEN 100000 AND 999999),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('municipality', 'province', 'autonomous region', 'corps'))
);

INSERT INTO provinces (code, name_zh, name_en, kind) VALUES
  (110000, '北京市', 'Beijing', 'municipality'),
  (120000, '天津市', 'Tianjin', 'municipality'),
  (130000, '河北省', 'Hebei', 'province'),
  (140000, '山西省', 'Shanxi', 'province'),
  (150000, '内蒙古自治区', 'Inner Mongolia', 'autonomous region'),
  (210000, '辽宁省', 'Liaoning', 'province'),
  (220000, '吉林省', 'Jilin', 'province'),
  (230000, '黑龙江省', 'Heilongjiang', 'province'),
  (310000, '上海市', 'Shanghai', 'municipality'),
  (320000, '江苏省', 'Jiangsu', 'province'),
  (330000, '浙江省', 'Zhejiang', 'province'),
  (340000, '安徽省', 'Anhui', 'province'),
  (350000, '福建省', 'Fujian', 'province'),
  (360000, '江西省', 'Jiangxi', 'province'),
  (370000, '山东省', 'Shandong', 'province'),
  (410000, '河南省', 'Henan', 'province'),
  (420000, '湖北省', 'Hubei', 'province'),
  (430000, '湖南省', 'Hunan', 'province'),
  (440000, '广东省', 'Guangdong', 'province'),
  (450000, '广西壮族自治区', 'Guangxi', 'autonomous region'),
  (460000, '海南省', 'Hainan', 'province'),
  (500000, '重庆市', 'Chongqing', 'municipality'),
  (510000, '四川省', 'Sichuan', 'province'),
  (520000, '贵州省', 'Guizhou', 'province'),
  (530000, '云南省', 'Yunnan', 'province'),
  (540000, '西藏自治区', 'Xizang (Tibet)', 'autonomous region'),
  (610000, '陕西省', 'Shaanxi', 'province'),
  (620000, '甘肃省', 'Gansu', 'province'),
  (630000, '青海省', 'Qinghai', 'province'),
  (640000, '宁夏回族自治区', 'Ningxia', 'autonomous region'),
  (650000, '新疆维吾尔自治区', 'Xinjiang', 'autonomous region'),
  -- Not a GB/T 2260 code: the 2019 Guiding Opinions address the Corps as a recipient of its own.
  (660000, '新疆生产建设兵团', 'Xinjiang Production and Construction Corps', 'corps');

-- Industrial sectors (GB/T 4754-2017 based; shared/reference/sectors.csv). key_sector marks the
-- four key sectors the Guiding Opinions name for pilot work.
CREATE TABLE sectors (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  gbt4754_divisions text NOT NULL,
  key_sector boolean NOT NULL
);

INSERT INTO sectors (code, name_zh, name_en, gbt4754_divisions, key_sector) VALUES
  ('automobile', '汽车', 'Automobile', 'C36', true),
  ('electronic_information', '电子信息', 'Electronic information', 'C39', true),
  ('aerospace', '航空航天', 'Aerospace', 'C37 (374)', true),
  ('energy', '能源', 'Energy: electric power and heat; coal; oil and gas', 'D44 B06 B07', true),
  ('petrochemical', '石化化工', 'Petroleum refining and chemicals', 'C25 C26', false),
  ('steel', '钢铁', 'Iron and steel', 'C31', false),
  ('nonferrous', '有色金属', 'Non-ferrous metals', 'C32', false),
  ('building_materials', '建材', 'Building materials', 'C30', false),
  ('general_equipment', '通用装备', 'General-purpose equipment', 'C34', false),
  ('special_equipment', '专用装备', 'Special-purpose equipment', 'C35', false),
  ('electrical_equipment', '电气机械', 'Electrical machinery and equipment', 'C38', false),
  ('instruments', '仪器仪表', 'Instruments and meters', 'C40', false),
  ('rail_transit', '轨道交通装备', 'Rail transit equipment', 'C37 (371)', false),
  ('shipbuilding', '船舶', 'Shipbuilding', 'C37 (373)', false),
  ('pharmaceutical', '医药', 'Pharmaceuticals', 'C27', false),
  ('food', '食品', 'Food and beverages', 'C13 C14 C15', false),
  ('textiles', '纺织', 'Textiles', 'C17', false),
  ('light_industry', '轻工', 'Other light industry', 'C18-C24 C29', false),
  ('gas_supply', '燃气', 'Gas production and supply', 'D45', false),
  ('water', '水务', 'Water production and supply', 'D46', false),
  ('telecom', '通信', 'Telecommunications and broadcasting transmission', 'I63', false),
  ('internet_platform', '工业互联网平台', 'Industrial Internet platforms and services', 'I64', false),
  ('other', '其他', 'Other', '', false);

GRANT SELECT ON provinces, sectors TO sitrep_app;
