// What a reporter sends is what every read path gives back: each field set reads back as sent,
// each field left unset reads back unset (an unset time once read back as 1970-01-01). Every
// shape of record below goes through Push and comes back through GetIncident/GetAsset,
// ListIncidents/ListAssets, WatchIncidents/WatchAssets and the HTTP JSON API.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "domain/page_token.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "tests/http_client.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;

constexpr uint32_t kGuangdong = 440000;

// A row's name as a record key ("no detect time" -> "no-detect-time").
std::string Key(std::string name) {
  std::replace(name.begin(), name.end(), ' ', '-');
  std::replace(name.begin(), name.end(), ',', '-');
  return name;
}

// The differences between `sent` and `got`, over the fields a reporter writes.
template <class Record>
std::string Differences(const Record& sent, const Record& got,
                        const std::vector<std::string>& output_only) {
  MessageDifferencer differencer;
  std::string report;
  differencer.ReportDifferencesToString(&report);
  for (const std::string& name : output_only) {
    differencer.IgnoreField(Record::descriptor()->FindFieldByName(name));
  }
  // The report also lists the ignored fields; only a difference counts.
  return differencer.Compare(sent, got) ? "" : report;
}

class RoundTripTest : public ServerFixture {
 protected:
  void SetUp() override {
    config_.http_listen = "127.0.0.1:0";
    ServerFixture::SetUp();
    feeds_ = v1::FeedService::NewStub(channel_);
    collector_ = TokenFor(v1::ROLE_COLLECTOR, kGuangdong);
    national_ = TokenFor(v1::ROLE_NATIONAL);
  }

  // Each read path's answer for a record of `id`, keyed by the path's name.
  template <class Record>
  using Reads = std::map<std::string, std::function<std::vector<Record>()>>;

  Reads<v1::Incident> IncidentReads(const std::vector<int64_t>& ids) {
    const std::string start = EncodeFeedCursor("incidents", FeedPosition{});
    return {
        {"GetIncident",
         [&, ids] {
           std::vector<v1::Incident> got;
           for (const int64_t id : ids) {
             v1::GetIncidentRequest request;
             request.set_id(id);
             v1::Incident incident;
             const grpc::Status status =
                 feeds_->GetIncident(As(national_).get(), request, &incident);
             EXPECT_TRUE(status.ok()) << status.error_message();
             got.push_back(incident);
           }
           return got;
         }},
        {"ListIncidents",
         [&, start] {
           v1::ListIncidentsRequest request;
           request.set_page_token(start);
           v1::ListIncidentsResponse response;
           EXPECT_TRUE(feeds_->ListIncidents(As(national_).get(), request, &response).ok());
           return std::vector<v1::Incident>(response.incidents().begin(),
                                            response.incidents().end());
         }},
        {"WatchIncidents",
         [&, start, ids] {
           v1::WatchIncidentsRequest request;
           request.set_cursor(start);
           auto context = As(national_);
           auto reader = feeds_->WatchIncidents(context.get(), request);
           std::vector<v1::Incident> got;
           v1::WatchIncidentsResponse response;
           while (got.size() < ids.size() && reader->Read(&response)) {
             got.insert(got.end(), response.incidents().begin(), response.incidents().end());
           }
           context->TryCancel();
           return got;
         }},
        {"HTTP ListIncidents",
         [&, start] {
           return HttpRecords<v1::Incident>("/sitrep.v1.FeedService/ListIncidents",
                                            nlohmann::json{{"pageToken", start}}, "incidents");
         }},
    };
  }

  Reads<v1::Asset> AssetReads(const std::vector<int64_t>& ids) {
    const std::string start = EncodeFeedCursor("assets", FeedPosition{});
    return {
        {"GetAsset",
         [&, ids] {
           std::vector<v1::Asset> got;
           for (const int64_t id : ids) {
             v1::GetAssetRequest request;
             request.set_id(id);
             v1::Asset asset;
             const grpc::Status status = feeds_->GetAsset(As(national_).get(), request, &asset);
             EXPECT_TRUE(status.ok()) << status.error_message();
             got.push_back(asset);
           }
           return got;
         }},
        {"ListAssets",
         [&, start] {
           v1::ListAssetsRequest request;
           request.set_page_token(start);
           v1::ListAssetsResponse response;
           EXPECT_TRUE(feeds_->ListAssets(As(national_).get(), request, &response).ok());
           return std::vector<v1::Asset>(response.assets().begin(), response.assets().end());
         }},
        {"WatchAssets",
         [&, start, ids] {
           v1::WatchAssetsRequest request;
           request.set_cursor(start);
           auto context = As(national_);
           auto reader = feeds_->WatchAssets(context.get(), request);
           std::vector<v1::Asset> got;
           v1::WatchAssetsResponse response;
           while (got.size() < ids.size() && reader->Read(&response)) {
             got.insert(got.end(), response.assets().begin(), response.assets().end());
           }
           context->TryCancel();
           return got;
         }},
        {"HTTP ListAssets",
         [&, start] {
           return HttpRecords<v1::Asset>("/sitrep.v1.FeedService/ListAssets",
                                         nlohmann::json{{"pageToken", start}}, "assets");
         }},
    };
  }

  // The records under `key` of the JSON answer to `method`, parsed as the proto JSON mapping.
  template <class Record>
  std::vector<Record> HttpRecords(const std::string& method, const nlohmann::json& body,
                                  const std::string& key) {
    const Reply reply = Send(server_->http_port(), boost::beast::http::verb::post, method,
                             body.dump(), JsonAs(national_));
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<Record> got;
    const nlohmann::json json = reply.json();
    if (json.is_discarded() || !json.contains(key)) return got;
    for (const nlohmann::json& item : json.at(key)) {
      Record record;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(item.dump(), &record).ok());
      got.push_back(record);
    }
    return got;
  }

  // Pushes `batch` as the collector; every record must be accepted.
  void Push(const v1::PushBatch& batch) {
    const PushResult result = PushAll(*channel_, collector_, {batch});
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    ASSERT_EQ(result.acks.size(), 1u);
    EXPECT_EQ(result.acks[0].rejected(), 0u) << result.acks[0].ShortDebugString();
  }

  // The ids of what a read path gave back, for the Get paths.
  template <class Record>
  static std::vector<int64_t> Ids(const std::vector<Record>& records) {
    std::vector<int64_t> ids;
    for (const Record& record : records) ids.push_back(record.id());
    return ids;
  }

  std::unique_ptr<v1::FeedService::Stub> feeds_;
  std::string collector_;
  std::string national_;
};

TEST_F(RoundTripTest, EveryIncidentFieldReadsBackAsSentThroughEveryReadPath) {
  const auto now = clock_.Now();
  struct Row {
    const char* name;
    std::function<void(v1::Incident&)> shape;
  };
  const Row rows[] = {
      {"every field", [](v1::Incident&) {}},
      {"no occur or detect time",
       [](v1::Incident& incident) {
         incident.clear_occur_time();
         incident.clear_detect_time();
       }},
      {"no detect time", [](v1::Incident& incident) { incident.clear_detect_time(); }},
      {"no occur time", [](v1::Incident& incident) { incident.clear_occur_time(); }},
      {"no optional text, list or map",
       [](v1::Incident& incident) {
         incident.clear_subcategory();
         incident.clear_description();
         incident.clear_indicators();
         incident.clear_cve_ids();
         incident.clear_attack_technique_ids();
         incident.clear_affected_asset_keys();
         incident.clear_attributes();
       }},
      {"a status of its own",
       [](v1::Incident& incident) { incident.set_status(v1::INCIDENT_STATUS_CONFIRMED); }},
  };
  v1::PushBatch batch;
  std::vector<v1::Incident> sent;
  for (const Row& row : rows) {
    v1::Incident incident = SampleIncident(Key(row.name), kGuangdong, now);
    row.shape(incident);
    *batch.add_incidents() = incident;
    // A first report without a status is REPORTED (records.proto).
    if (incident.status() == v1::INCIDENT_STATUS_UNSPECIFIED) {
      incident.set_status(v1::INCIDENT_STATUS_REPORTED);
    }
    sent.push_back(incident);
  }
  ASSERT_NO_FATAL_FAILURE(Push(batch));
  const std::vector<int64_t> ids = Ids(IncidentReads({}).at("ListIncidents")());
  ASSERT_EQ(ids.size(), sent.size());

  for (const auto& [path, read] : IncidentReads(ids)) {
    SCOPED_TRACE(path);
    std::map<std::string, v1::Incident> got;
    for (const v1::Incident& incident : read()) got[incident.external_id()] = incident;
    for (const v1::Incident& incident : sent) {
      SCOPED_TRACE(incident.external_id());
      ASSERT_EQ(got.count(incident.external_id()), 1u);
      EXPECT_EQ(Differences(incident, got[incident.external_id()],
                            {"id", "revision", "reporter_id", "receive_time", "update_time",
                             "cursor", "redacted"}),
                "");
    }
  }
}

TEST_F(RoundTripTest, EveryAssetFieldReadsBackAsSentThroughEveryReadPath) {
  const auto now = clock_.Now();
  struct Row {
    const char* name;
    std::function<void(v1::Asset&)> shape;
  };
  const Row rows[] = {
      {"every field", [](v1::Asset&) {}},
      {"no port, transport, protocol or type",
       [](v1::Asset& asset) {
         asset.clear_port();
         asset.clear_transport();
         asset.clear_protocol();
         asset.clear_type();
       }},
      {"no vendor, product or version",
       [](v1::Asset& asset) {
         asset.clear_vendor();
         asset.clear_product();
         asset.clear_version();
       }},
      {"no optional list or map",
       [](v1::Asset& asset) {
         asset.clear_cve_ids();
         asset.clear_attributes();
         asset.set_internet_exposed(false);
       }},
  };
  v1::PushBatch batch;
  std::vector<v1::Asset> sent;
  for (const Row& row : rows) {
    v1::Asset asset = SampleAsset(Key(row.name), kGuangdong, now);
    row.shape(asset);
    *batch.add_assets() = asset;
    // An asset of no stated type is OTHER (records.proto).
    if (asset.type() == v1::ASSET_TYPE_UNSPECIFIED) asset.set_type(v1::ASSET_TYPE_OTHER);
    sent.push_back(asset);
  }
  ASSERT_NO_FATAL_FAILURE(Push(batch));
  const std::vector<int64_t> ids = Ids(AssetReads({}).at("ListAssets")());
  ASSERT_EQ(ids.size(), sent.size());

  for (const auto& [path, read] : AssetReads(ids)) {
    SCOPED_TRACE(path);
    std::map<std::string, v1::Asset> got;
    for (const v1::Asset& asset : read()) got[asset.asset_key()] = asset;
    for (const v1::Asset& asset : sent) {
      SCOPED_TRACE(asset.asset_key());
      ASSERT_EQ(got.count(asset.asset_key()), 1u);
      EXPECT_EQ(
          Differences(asset, got[asset.asset_key()],
                      {"id", "reporter_id", "first_seen_time", "times_seen", "cursor", "redacted"}),
          "");
      EXPECT_EQ(got[asset.asset_key()].times_seen(), 1);
    }
  }
}

}  // namespace
}  // namespace sitrep::testing
