#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "reconciler/diff/diff_json.h"
#include "reconciler/diff/diff_text.h"
#include "reconciler/diff/tree_diff.h"
#include "tests/unit/diff_test_trees.h"

namespace pgtwin {
namespace {

using testing::SampleCluster;

Object& Billing(Object& cluster) {
  return *cluster.FindChild(ObjectKind::kDatabase, "shop")
              ->FindChild(ObjectKind::kSchema, "billing");
}

// A diff touching the cluster, roles, a table, a column, a trigger and a view, with one
// ignored function.
struct Sample {
  Object source = SampleCluster();
  Object target = SampleCluster();
  DiffResult result;

  Sample() {
    target.SetAttr("major_version", "16");
    source.AddChild(ObjectKind::kRole, "reader");
    target.AddChild(ObjectKind::kRole, "developer");
    Object& table = *Billing(target).FindChild(ObjectKind::kTable, "invoices");
    table.SetAttr("owner", "admin");
    table.FindChild(ObjectKind::kColumn, "amount")->SetAttr("type", "bigint");
    std::erase_if(table.mutable_children(),
                  [](const Object& o) { return o.kind() == ObjectKind::kTrigger; });
    Billing(target)
        .FindChild(ObjectKind::kView, "open_invoices")
        ->SetAttr("definition", " SELECT 'x'::text;");
    source.Normalize();
    target.Normalize();
    IgnoreRules ignore;
    EXPECT_TRUE(ignore.AddFlag("function:^total").ok());
    result = DiffTrees(source, target, ignore);
  }
};

std::string Text(const DiffResult& result, bool color = false) {
  std::ostringstream out;
  WriteDiffText(result, "prod", "test", color, out);
  return out.str();
}

std::string Json(const DiffResult& result) {
  std::ostringstream out;
  WriteDiffJson(result, "prod", "test", out);
  return out.str();
}

TEST(DiffFormatTest, TextTreeAndSummary) {
  Sample sample;
  EXPECT_EQ(Text(sample.result),
            "source (+): prod\n"
            "target (-): test\n"
            "\n"
            "~ cluster\n"
            "    major_version: '15' != '16'\n"
            "- role developer\n"
            "+ role reader\n"
            "  database shop\n"
            "    schema billing\n"
            "    ~ table invoices\n"
            "        owner: 'app' != 'admin'\n"
            "      ~ column amount\n"
            "          type: 'integer' != 'bigint'\n"
            "      + trigger _londiste_shop\n"
            "    ~ view open_invoices\n"
            "        definition: ' SELECT invoices.id\\n   FROM billing.invoices;' != "
            "' SELECT \\'x\\'::text;'\n"
            "\n"
            "cluster: 0 only in source, 0 only in target, 1 changed\n"
            "role: 1 only in source, 1 only in target, 0 changed\n"
            "table: 0 only in source, 0 only in target, 1 changed\n"
            "column: 0 only in source, 0 only in target, 1 changed\n"
            "trigger: 1 only in source, 0 only in target, 0 changed\n"
            "view: 0 only in source, 0 only in target, 1 changed\n"
            "total: 2 only in source, 1 only in target, 4 changed\n"
            "ignored: 1\n");
}

TEST(DiffFormatTest, TextShowsAbsentValuesAsNone) {
  Object source(ObjectKind::kDatabase, "a");
  Object target(ObjectKind::kDatabase, "b");
  source.AddChild(ObjectKind::kSchema, "s").SetAttr("comment", "tab\there\x01");
  target.AddChild(ObjectKind::kSchema, "s").SetAttr("owner", "app");
  std::string text = Text(DiffTrees(source, target, IgnoreRules()));
  EXPECT_NE(text.find("  database b\n"
                      "  ~ schema s\n"
                      "      comment: 'tab\\there\\x01' != (none)\n"
                      "      owner: (none) != 'app'\n"),
            std::string::npos)
      << text;
}

TEST(DiffFormatTest, TextColoursMarkerLinesOnlyWhenAsked) {
  Sample sample;
  std::string plain = Text(sample.result);
  EXPECT_EQ(plain.find('\033'), std::string::npos);
  std::string coloured = Text(sample.result, /*color=*/true);
  EXPECT_NE(coloured.find("\033[32m+ role reader\033[0m\n"), std::string::npos);
  EXPECT_NE(coloured.find("\033[31m- role developer\033[0m\n"), std::string::npos);
  EXPECT_NE(coloured.find("    \033[33m~ table invoices\033[0m\n"), std::string::npos);
  EXPECT_NE(coloured.find("\n        owner: 'app' != 'admin'\n"), std::string::npos);
}

TEST(DiffFormatTest, TextWhenIdentical) {
  DiffResult clean = DiffTrees(SampleCluster(), SampleCluster(), IgnoreRules());
  EXPECT_EQ(Text(clean), "source (+): prod\ntarget (-): test\n\nNo differences.\n");
  clean.summary.ignored = 3;
  EXPECT_EQ(Text(clean), "source (+): prod\ntarget (-): test\n\nNo differences.\nignored: 3\n");
}

TEST(DiffFormatTest, Json) {
  Sample sample;
  EXPECT_EQ(Json(sample.result), R"({
  "version": 1,
  "source": "prod",
  "target": "test",
  "summary": {
    "cluster": {
      "source_only": 0,
      "target_only": 0,
      "changed": 1
    },
    "role": {
      "source_only": 1,
      "target_only": 1,
      "changed": 0
    },
    "table": {
      "source_only": 0,
      "target_only": 0,
      "changed": 1
    },
    "column": {
      "source_only": 0,
      "target_only": 0,
      "changed": 1
    },
    "trigger": {
      "source_only": 1,
      "target_only": 0,
      "changed": 0
    },
    "view": {
      "source_only": 0,
      "target_only": 0,
      "changed": 1
    },
    "ignored": 1
  },
  "differences": [
    {
      "change": "changed",
      "kind": "cluster",
      "key": "cluster",
      "attrs": [
        {
          "name": "major_version",
          "source": "15",
          "target": "16"
        }
      ]
    },
    {
      "change": "target_only",
      "kind": "role",
      "key": "role:developer",
      "attrs": []
    },
    {
      "change": "source_only",
      "kind": "role",
      "key": "role:reader",
      "attrs": []
    },
    {
      "change": "changed",
      "kind": "table",
      "database": "shop",
      "key": "table:billing.invoices",
      "attrs": [
        {
          "name": "owner",
          "source": "app",
          "target": "admin"
        }
      ]
    },
    {
      "change": "changed",
      "kind": "column",
      "database": "shop",
      "key": "column:billing.invoices.amount",
      "attrs": [
        {
          "name": "type",
          "source": "integer",
          "target": "bigint"
        }
      ]
    },
    {
      "change": "source_only",
      "kind": "trigger",
      "database": "shop",
      "key": "trigger:billing.invoices._londiste_shop",
      "attrs": []
    },
    {
      "change": "changed",
      "kind": "view",
      "database": "shop",
      "key": "view:billing.open_invoices",
      "attrs": [
        {
          "name": "definition",
          "source": " SELECT invoices.id\n   FROM billing.invoices;",
          "target": " SELECT 'x'::text;"
        }
      ]
    }
  ]
}
)");
}

TEST(DiffFormatTest, JsonUsesNullForAbsentValues) {
  Object source(ObjectKind::kDatabase, "a");
  Object target(ObjectKind::kDatabase, "b");
  target.SetAttr("comment", "new");
  std::string json = Json(DiffTrees(source, target, IgnoreRules()));
  EXPECT_NE(json.find(R"("key": "database:b",
      "attrs": [
        {
          "name": "comment",
          "source": null,
          "target": "new"
        })"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("summary": {
    "database": {
      "source_only": 0,
      "target_only": 0,
      "changed": 1
    },
    "ignored": 0
  })"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace pgtwin
