// The colour decision: --color, the terminal, and NO_COLOR, TERM, FORCE_COLOR, CLICOLOR_FORCE.
#include <gtest/gtest.h>

#include "reports/terminal_report.h"

namespace h2conform::reports {
namespace {

struct ColourRow {
  const char* name;
  ColourChoice choice;
  bool tty;
  ColourEnv env;
  bool wanted;
  friend void PrintTo(const ColourRow& row, std::ostream* os) { *os << row.name; }
};
class ColourDecision : public ::testing::TestWithParam<ColourRow> {};

TEST_P(ColourDecision, FollowsFlagThenForceThenTerminal) {
  const ColourRow& row = GetParam();
  EXPECT_EQ(colour_wanted(row.choice, row.tty, row.env), row.wanted);
}

constexpr ColourChoice kAuto = ColourChoice::kAuto;
constexpr ColourChoice kAlways = ColourChoice::kAlways;
constexpr ColourChoice kNever = ColourChoice::kNever;

INSTANTIATE_TEST_SUITE_P(
    Rows, ColourDecision,
    ::testing::Values(
        ColourRow{"autoTty", kAuto, true, {}, true},
        ColourRow{"autoPipe", kAuto, false, {}, false},
        ColourRow{"autoTtyXterm", kAuto, true, {nullptr, "xterm-256color"}, true},
        ColourRow{"autoTtyNoColor", kAuto, true, {"1"}, false},
        ColourRow{"autoTtyEmptyNoColor", kAuto, true, {""}, true},
        ColourRow{"autoTtyTermDumb", kAuto, true, {nullptr, "dumb"}, false},
        ColourRow{"autoPipeForceColor", kAuto, false, {nullptr, nullptr, "1"}, true},
        ColourRow{"autoPipeForceColorZero", kAuto, false, {nullptr, nullptr, "0"}, false},
        ColourRow{"autoPipeForceColorEmpty", kAuto, false, {nullptr, nullptr, ""}, false},
        ColourRow{"autoPipeClicolorForce", kAuto, false, {nullptr, nullptr, nullptr, "1"}, true},
        ColourRow{"forceBeatsNoColor", kAuto, false, {"1", nullptr, "1"}, true},
        ColourRow{"forceBeatsTermDumb", kAuto, true, {nullptr, "dumb", nullptr, "1"}, true},
        ColourRow{"alwaysPipe", kAlways, false, {}, true},
        ColourRow{"alwaysBeatsNoColorAndDumb", kAlways, false, {"1", "dumb"}, true},
        ColourRow{"neverTty", kNever, true, {}, false},
        ColourRow{"neverBeatsForceColor", kNever, true, {nullptr, nullptr, "1", "1"}, false}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(ColourChoice, ParsesTheThreeWords) {
  ColourChoice choice = ColourChoice::kAuto;
  EXPECT_TRUE(parse_colour_choice("always", &choice));
  EXPECT_EQ(choice, ColourChoice::kAlways);
  EXPECT_TRUE(parse_colour_choice("never", &choice));
  EXPECT_EQ(choice, ColourChoice::kNever);
  EXPECT_TRUE(parse_colour_choice("auto", &choice));
  EXPECT_EQ(choice, ColourChoice::kAuto);
  EXPECT_FALSE(parse_colour_choice("yes", &choice));
  EXPECT_FALSE(parse_colour_choice("", &choice));
}

}  // namespace
}  // namespace h2conform::reports
