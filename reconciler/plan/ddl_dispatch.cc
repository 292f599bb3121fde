// The DDL generator's entry points: one family of kinds per ddl_*.cc file.
#include "reconciler/plan/ddl.h"
#include "reconciler/plan/ddl_parts.h"
#include "reconciler/plan/ddl_quote.h"

namespace pgtwin {

using ddl::Sql;

Sql CreateSql(const Object& object, const DdlContext& context) {
  switch (object.kind()) {
    case ObjectKind::kExtension:
      return ddl::CreateExtension(object);
    case ObjectKind::kSchema:
      return ddl::CreateSchema(object);
    case ObjectKind::kType:
      return ddl::CreateType(object, context);
    case ObjectKind::kSequence:
      return ddl::CreateSequence(object, context);
    case ObjectKind::kTable:
      return ddl::CreateTable(object, context);
    case ObjectKind::kColumn:
      return ddl::CreateColumn(object, context);
    case ObjectKind::kConstraint:
      return ddl::CreateConstraint(object, context);
    case ObjectKind::kIndex:
      return ddl::CreateIndex(object, context);
    case ObjectKind::kTrigger:
      return ddl::CreateTrigger(object, context);
    case ObjectKind::kView:
    case ObjectKind::kMaterializedView:
      return ddl::CreateView(object, context);
    case ObjectKind::kFunction:
    case ObjectKind::kProcedure:
    case ObjectKind::kAggregate:
      return ddl::CreateRoutine(object, context);
    default:
      return {};  // the cluster, roles and databases: cluster_sql.h
  }
}

Sql DropSql(const Object& object, const DdlContext& context) {
  const std::string relation = ddl::QuoteQualified(context.schema, context.relation);
  switch (object.kind()) {
    case ObjectKind::kColumn:
      return ddl::DropColumn(object, context);
    case ObjectKind::kConstraint:
      return {"ALTER TABLE " + relation + " DROP CONSTRAINT " + ddl::QuoteIdent(object.name())};
    case ObjectKind::kCluster:
    case ObjectKind::kRole:
    case ObjectKind::kDatabase:
      return {};
    default:
      return {"DROP " + ddl::NamesOf(object, context).alter};
  }
}

AlterSqlResult AlterSql(const Object& desired, const Object& observed,
                        const std::vector<AttributeChange>& changes, const DdlContext& context) {
  switch (desired.kind()) {
    case ObjectKind::kExtension:
      return {ddl::AlterExtension(desired, observed, changes)};
    case ObjectKind::kSchema:
      return {ddl::AlterSchema(desired, observed, changes)};
    case ObjectKind::kType:
      return ddl::AlterType(desired, observed, changes, context);
    case ObjectKind::kSequence:
      return {ddl::AlterSequence(desired, observed, changes, context)};
    case ObjectKind::kTable:
      return ddl::AlterTable(desired, observed, changes, context);
    case ObjectKind::kColumn:
      return ddl::AlterColumn(desired, observed, changes, context);
    case ObjectKind::kConstraint:
      return ddl::AlterConstraint(desired, observed, changes, context);
    case ObjectKind::kIndex:
      return ddl::AlterIndex(desired, observed, changes, context);
    case ObjectKind::kTrigger:
      return ddl::AlterTrigger(desired, observed, changes, context);
    case ObjectKind::kView:
    case ObjectKind::kMaterializedView:
      return ddl::AlterView(desired, observed, changes, context);
    case ObjectKind::kFunction:
    case ObjectKind::kProcedure:
    case ObjectKind::kAggregate:
      return ddl::AlterRoutine(desired, observed, changes, context);
    default:
      return {};
  }
}

}  // namespace pgtwin
