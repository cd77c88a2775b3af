#include "reports/baseline.h"

#include <algorithm>
#include <map>

namespace h2conform::reports {
namespace {

using engine::Verdict;

std::string run_label(const engine::RunResult& run) {
  std::string label = run.target.empty() ? "(no target)" : run.target;
  if (!run.started_at.empty()) label += " (" + run.started_at + ")";
  return label;
}

std::map<std::string, const engine::CaseResult*> index_cases(const engine::RunResult& run) {
  std::map<std::string, const engine::CaseResult*> index;
  for (const auto& c : run.cases) index.emplace(c.id, &c);
  return index;
}

// The change between two verdicts of one case; nullopt when nothing changed.
std::optional<Change> classify(std::optional<Verdict> before, std::optional<Verdict> after) {
  if (!after) return Change::kGone;
  if (!before) return is_failing(*after) ? Change::kRegression : Change::kNew;
  if (*before == *after) return std::nullopt;
  if (is_passing(*before) && is_failing(*after)) return Change::kRegression;
  if (is_failing(*before) && is_passing(*after)) return Change::kFixed;
  return Change::kChanged;
}

// A case against the list: `listed` is its entry, or nullptr when it is expected to pass.
std::optional<Change> classify_listed(const KnownFailure* listed, Verdict now) {
  if (!listed) return is_failing(now) ? std::optional(Change::kRegression) : std::nullopt;
  if (is_passing(now)) return Change::kFixed;
  if (listed->verdict && *listed->verdict != now) return Change::kChanged;
  return std::nullopt;
}

void sort_changes(BaselineDiff* diff) {
  std::sort(diff->changes.begin(), diff->changes.end(),
            [](const CaseChange& a, const CaseChange& b) { return a.id < b.id; });
}

// Control bytes as \xNN so that peer text cannot drive a terminal.
std::string printable_text(const std::string& text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char ch : text) {
    if (ch < 0x20 || ch == 0x7f) {
      out += "\\x";
      out += kHex[ch >> 4];
      out += kHex[ch & 0xf];
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out;
}

std::string verdict_text(std::optional<Verdict> verdict) {
  return verdict ? engine::to_string(*verdict) : "none";
}

void render_group(const BaselineDiff& diff, Change change, const char* title, std::ostream& out) {
  int n = diff.count(change);
  if (n == 0) return;
  out << title << " (" << n << "):\n";
  for (const auto& c : diff.changes) {
    if (c.change != change) continue;
    out << "  " << printable_text(c.id) << "  " << verdict_text(c.before) << " -> "
        << verdict_text(c.after);
    if (c.known) out << "  [known]";
    if (!c.reason.empty() && c.change != Change::kFixed) out << "\n      " << printable_text(c.reason);
    out << '\n';
  }
}

}  // namespace

bool is_passing(Verdict verdict) {
  return verdict == Verdict::kPass || verdict == Verdict::kNonStrict || verdict == Verdict::kSkip;
}

bool is_failing(Verdict verdict) { return !is_passing(verdict); }

std::string to_string(Change change) {
  switch (change) {
    case Change::kRegression: return "regression";
    case Change::kFixed: return "fixed";
    case Change::kNew: return "new";
    case Change::kGone: return "gone";
    case Change::kChanged: return "changed";
  }
  return "changed";
}

int BaselineDiff::count(Change change) const {
  return static_cast<int>(std::count_if(changes.begin(), changes.end(),
                                        [&](const CaseChange& c) { return c.change == change; }));
}

int BaselineDiff::unknown_regressions() const {
  return static_cast<int>(std::count_if(changes.begin(), changes.end(), [](const CaseChange& c) {
    return c.change == Change::kRegression && !c.known;
  }));
}

const CaseChange* BaselineDiff::find(std::string_view id) const {
  auto it = std::lower_bound(changes.begin(), changes.end(), id,
                             [](const CaseChange& c, std::string_view key) { return c.id < key; });
  return it != changes.end() && it->id == id ? &*it : nullptr;
}

DiffScope scope_of_run(const engine::RunResult& current) {
  DiffScope scope;
  scope.absent_are_gone =
      !current.interrupted && current.settings.selectors.empty() && current.settings.excludes.empty();
  scope.must_only = !current.settings.strict;
  return scope;
}

BaselineDiff compare_to_baseline(const engine::RunResult& baseline, const engine::RunResult& current,
                                 const DiffScope& scope) {
  BaselineDiff diff;
  diff.baseline_label = run_label(baseline);
  diff.current_label = run_label(current);
  auto before = index_cases(baseline);
  auto after = index_cases(current);
  for (const auto& [id, now] : after) {
    auto it = before.find(id);
    std::optional<Verdict> was = it == before.end() ? std::nullopt : std::optional(it->second->verdict);
    auto change = classify(was, now->verdict);
    if (!change) {
      ++diff.unchanged;
      continue;
    }
    diff.changes.push_back({id, was, now->verdict, *change, now->reason, false});
  }
  for (const auto& [id, was] : before) {
    if (after.count(id) != 0 || !scope.absent_are_gone) continue;
    if (scope.must_only && !was->level.empty() && was->level != "MUST") continue;
    diff.changes.push_back({id, was->verdict, std::nullopt, Change::kGone, was->reason, false});
  }
  sort_changes(&diff);
  return diff;
}

BaselineDiff compare_to_known_failures(const KnownFailures& known, const engine::RunResult& current,
                                       const DiffScope& scope) {
  BaselineDiff diff;
  diff.baseline_label = known.source;
  diff.current_label = run_label(current);
  auto after = index_cases(current);
  for (const auto& [id, now] : after) {
    auto it = known.entries.find(id);
    auto change = classify_listed(it == known.entries.end() ? nullptr : &it->second, now->verdict);
    if (!change) {
      ++diff.unchanged;
      continue;
    }
    std::optional<Verdict> was;
    if (it != known.entries.end()) was = it->second.verdict.value_or(Verdict::kFail);
    diff.changes.push_back({id, was, now->verdict, *change, now->reason, false});
  }
  for (const auto& [id, entry] : known.entries) {
    if (after.count(id) != 0 || !scope.absent_are_gone) continue;
    diff.changes.push_back({id, entry.verdict.value_or(Verdict::kFail), std::nullopt, Change::kGone,
                            "listed in " + known.source + " line " + std::to_string(entry.line), false});
  }
  sort_changes(&diff);
  return diff;
}

void mark_known_failures(const KnownFailures& known, BaselineDiff* diff) {
  for (auto& c : diff->changes) {
    if (c.change != Change::kRegression || !c.after) continue;
    auto it = known.entries.find(c.id);
    if (it == known.entries.end()) continue;
    c.known = !it->second.verdict || *it->second.verdict == *c.after;
  }
}

std::string to_string(Standing standing) {
  switch (standing) {
    case Standing::kSame: return "same";
    case Standing::kRegression: return "regression";
    case Standing::kKnownFailure: return "known_failure";
    case Standing::kFixed: return "fixed";
    case Standing::kNew: return "new";
    case Standing::kChanged: return "changed";
  }
  return "same";
}

Standing standing_of(const BaselineDiff& diff, const engine::CaseResult& c) {
  const CaseChange* change = diff.find(c.id);
  if (change == nullptr) return is_failing(c.verdict) ? Standing::kKnownFailure : Standing::kSame;
  switch (change->change) {
    case Change::kRegression: return change->known ? Standing::kKnownFailure : Standing::kRegression;
    case Change::kFixed: return Standing::kFixed;
    case Change::kNew: return Standing::kNew;
    case Change::kChanged: return is_failing(c.verdict) ? Standing::kKnownFailure : Standing::kChanged;
    case Change::kGone: break;  // a case of this run is never gone
  }
  return is_failing(c.verdict) ? Standing::kKnownFailure : Standing::kSame;
}

int diff_exit_code(const BaselineDiff& diff) { return diff.unknown_regressions() > 0 ? 1 : 0; }

void render_diff_text(const BaselineDiff& diff, std::ostream& out) {
  out << "Baseline: " << printable_text(diff.baseline_label) << '\n'
      << "Current:  " << printable_text(diff.current_label) << '\n';
  render_group(diff, Change::kRegression, "Regressions", out);
  render_group(diff, Change::kFixed, "Fixed", out);
  render_group(diff, Change::kChanged, "Changed", out);
  render_group(diff, Change::kNew, "New", out);
  render_group(diff, Change::kGone, "Gone", out);
  int regressions = diff.count(Change::kRegression);
  out << regressions << (regressions == 1 ? " regression" : " regressions");
  int known = regressions - diff.unknown_regressions();
  if (known > 0) out << " (" << known << " known)";
  out << ", " << diff.count(Change::kFixed) << " fixed, " << diff.count(Change::kNew) << " new, "
      << diff.count(Change::kGone) << " gone, " << diff.count(Change::kChanged) << " changed, "
      << diff.unchanged << " unchanged\n";
}

}  // namespace h2conform::reports
