#include "server/live_calls.h"

#include <optional>

#include "logging/log.h"

namespace sitrep {

struct LiveCalls::Entry {
  Credential credential;  // guarded by LiveCalls::mu_ (a re-check may move its expiry)
  std::optional<std::multimap<SteadyTime, std::shared_ptr<Entry>>::iterator>
      expiry;  // its node in expiries_; guarded by LiveCalls::mu_

  // Ending runs on_end under end_mu, so that unregistering (which clears on_end under it)
  // waits for a running on_end and none starts afterwards.
  std::mutex end_mu;
  OnEnd on_end;         // guarded by end_mu
  grpc::Status status;  // guarded by end_mu
  std::atomic<bool> ended{false};

  void End(const grpc::Status& why) {
    std::lock_guard lock(end_mu);
    if (ended.load()) return;
    status = why;
    ended.store(true);
    if (on_end) on_end(status);
  }
};

namespace {

grpc::Status Expired() {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "the token has expired");
}

}  // namespace

LiveCalls::Call::~Call() { calls_.Unregister(entry_); }

bool LiveCalls::Call::ended() const { return entry_->ended.load(); }

grpc::Status LiveCalls::Call::status() const {
  std::lock_guard lock(entry_->end_mu);
  return entry_->status;
}

LiveCalls::LiveCalls(const Clock& clock, Recheck recheck, Forget forget)
    : clock_(clock), recheck_(std::move(recheck)), forget_(std::move(forget)) {
  timer_ = std::thread([this] { RunTimer(); });
}

LiveCalls::~LiveCalls() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  timer_changed_.notify_all();
  timer_.join();
}

uint64_t LiveCalls::epoch() const {
  std::lock_guard lock(mu_);
  return epoch_;
}

size_t LiveCalls::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::unique_ptr<LiveCalls::Call> LiveCalls::Register(const Credential& credential,
                                                     uint64_t epoch_before, OnEnd on_end) {
  auto entry = std::make_shared<Entry>();
  entry->credential = credential;
  entry->on_end = std::move(on_end);
  bool heard_since;
  {
    // Registering and reading the epoch under the lock Heard takes to count and collect: a
    // notice either finds this call or is counted in the epoch read here.
    std::lock_guard lock(mu_);
    entries_.insert(entry);
    ScheduleExpiry(entry);
    heard_since = epoch_ != epoch_before;
  }
  auto call = std::make_unique<Call>(*this, entry);
  if (heard_since) RecheckEntries({entry});
  return call;
}

void LiveCalls::Unregister(const std::shared_ptr<Entry>& entry) {
  {
    std::lock_guard lock(mu_);
    entries_.erase(entry);
    UnscheduleExpiry(*entry);
  }
  std::lock_guard lock(entry->end_mu);
  entry->on_end = nullptr;
}

void LiveCalls::Heard(const std::string& notice) {
  if (forget_) forget_(notice);
  std::vector<std::shared_ptr<Entry>> concerned;
  {
    std::lock_guard lock(mu_);
    ++epoch_;
    for (const std::shared_ptr<Entry>& entry : entries_) {
      if (NoticeConcerns(notice, entry->credential)) concerned.push_back(entry);
    }
  }
  RecheckEntries(concerned);
}

void LiveCalls::RecheckAll() {
  if (forget_) forget_("");
  std::vector<std::shared_ptr<Entry>> all;
  {
    std::lock_guard lock(mu_);
    ++epoch_;
    all.assign(entries_.begin(), entries_.end());
  }
  RecheckEntries(all);
}

void LiveCalls::RecheckEntries(const std::vector<std::shared_ptr<Entry>>& entries) {
  for (const std::shared_ptr<Entry>& entry : entries) {
    if (entry->ended.load()) continue;
    Credential admitted;
    {
      std::lock_guard lock(mu_);
      admitted = entry->credential;
    }
    std::variant<Credential, grpc::Status> now;
    try {
      now = recheck_(admitted);
    } catch (const std::exception& error) {
      // Not knowing whether the credential still holds, the call fails closed.
      Log(LogLevel::kWarn, "live_calls.recheck_failed", {{"error", error.what()}});
      entry->End(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                              "the call's credential could not be checked again; call again"));
      continue;
    }
    if (auto* status = std::get_if<grpc::Status>(&now)) {
      entry->End(*status);
      continue;
    }
    std::lock_guard lock(mu_);
    if (!entries_.contains(entry)) continue;
    entry->credential = std::get<Credential>(std::move(now));
    UnscheduleExpiry(*entry);
    ScheduleExpiry(entry);
  }
}

void LiveCalls::ScheduleExpiry(const std::shared_ptr<Entry>& entry) {
  if (!entry->credential.expires_at) return;
  // The expiry is wall time judged by the injected clock; the timer runs on the steady clock,
  // so it is set from how far away the clock says the expiry is.
  const auto left = *entry->credential.expires_at - clock_.Now();
  const SteadyTime at =
      std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::nanoseconds>(left);
  entry->expiry = expiries_.emplace(at, entry);
  timer_changed_.notify_all();
}

void LiveCalls::UnscheduleExpiry(Entry& entry) {
  if (!entry.expiry) return;
  expiries_.erase(*entry.expiry);
  entry.expiry.reset();
}

void LiveCalls::RunTimer() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (expiries_.empty()) {
      timer_changed_.wait(lock);
      continue;
    }
    const auto first = expiries_.begin();
    if (first->first > std::chrono::steady_clock::now()) {
      timer_changed_.wait_until(lock, first->first);
      continue;
    }
    std::shared_ptr<Entry> entry = first->second;
    UnscheduleExpiry(*entry);
    lock.unlock();
    entry->End(Expired());
    lock.lock();
  }
}

}  // namespace sitrep
