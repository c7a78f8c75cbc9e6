#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sitrep::collector {

// The 32 provincial codes sitrep seeds (SPEC §2: the 31 mainland divisions of GB/T 2260 and
// 660000, the Xinjiang Production and Construction Corps), in code order. Built in, because a
// deployed collector has no reference folder; provinces_test compares it with
// shared/reference/provinces.csv.
inline constexpr std::array<uint32_t, 32> kProvinceCodes = {
    110000, 120000, 130000, 140000, 150000, 210000, 220000, 230000, 310000, 320000, 330000,
    340000, 350000, 360000, 370000, 410000, 420000, 430000, 440000, 450000, 460000, 500000,
    510000, 520000, 530000, 540000, 610000, 620000, 630000, 640000, 650000, 660000};

struct ProvinceName {
  uint32_t code;
  std::string_view zh;
  std::string_view en;
};

// The names of kProvinceCodes, in the same order, for generated text.
inline constexpr std::array<ProvinceName, 32> kProvinceNames = {{
    {110000, "北京市", "Beijing"},
    {120000, "天津市", "Tianjin"},
    {130000, "河北省", "Hebei"},
    {140000, "山西省", "Shanxi"},
    {150000, "内蒙古自治区", "Inner Mongolia"},
    {210000, "辽宁省", "Liaoning"},
    {220000, "吉林省", "Jilin"},
    {230000, "黑龙江省", "Heilongjiang"},
    {310000, "上海市", "Shanghai"},
    {320000, "江苏省", "Jiangsu"},
    {330000, "浙江省", "Zhejiang"},
    {340000, "安徽省", "Anhui"},
    {350000, "福建省", "Fujian"},
    {360000, "江西省", "Jiangxi"},
    {370000, "山东省", "Shandong"},
    {410000, "河南省", "Henan"},
    {420000, "湖北省", "Hubei"},
    {430000, "湖南省", "Hunan"},
    {440000, "广东省", "Guangdong"},
    {450000, "广西壮族自治区", "Guangxi"},
    {460000, "海南省", "Hainan"},
    {500000, "重庆市", "Chongqing"},
    {510000, "四川省", "Sichuan"},
    {520000, "贵州省", "Guizhou"},
    {530000, "云南省", "Yunnan"},
    {540000, "西藏自治区", "Xizang (Tibet)"},
    {610000, "陕西省", "Shaanxi"},
    {620000, "甘肃省", "Gansu"},
    {630000, "青海省", "Qinghai"},
    {640000, "宁夏回族自治区", "Ningxia"},
    {650000, "新疆维吾尔自治区", "Xinjiang"},
    {660000, "新疆生产建设兵团", "Xinjiang Production and Construction Corps"},
}};

[[nodiscard]] bool IsProvinceCode(uint32_t code);

// The names of `code`; {code, "", ""} for an unknown code.
[[nodiscard]] ProvinceName ProvinceNameOf(uint32_t code);

// The province a national collector gives a record keyed by `hash`: an even, deterministic
// spread over kProvinceCodes.
[[nodiscard]] uint32_t ProvinceForHash(uint64_t hash);

}  // namespace sitrep::collector
