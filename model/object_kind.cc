#include "model/object_kind.h"

#include <array>
#include <utility>

namespace pgtwin {
namespace {

struct KindInfo {
  ObjectKind kind;
  std::string_view name;
  std::string_view label;
};

constexpr std::array<KindInfo, 27> kKinds = {{
    {ObjectKind::kCluster, "cluster", "PgCluster"},
    {ObjectKind::kRole, "role", "PgRole"},
    {ObjectKind::kDatabase, "database", "PgDatabase"},
    {ObjectKind::kExtension, "extension", "PgExtension"},
    {ObjectKind::kSchema, "schema", "PgSchema"},
    {ObjectKind::kType, "type", "PgType"},
    {ObjectKind::kSequence, "sequence", "PgSequence"},
    {ObjectKind::kTable, "table", "PgTable"},
    {ObjectKind::kColumn, "column", "PgColumn"},
    {ObjectKind::kConstraint, "constraint", "PgConstraint"},
    {ObjectKind::kIndex, "index", "PgIndex"},
    {ObjectKind::kTrigger, "trigger", "PgTrigger"},
    {ObjectKind::kView, "view", "PgView"},
    {ObjectKind::kMaterializedView, "materialized_view", "PgMaterializedView"},
    {ObjectKind::kFunction, "function", "PgFunction"},
    {ObjectKind::kProcedure, "procedure", "PgProcedure"},
    {ObjectKind::kAggregate, "aggregate", "PgAggregate"},
    {ObjectKind::kPgqQueue, "pgq_queue", "PgqQueue"},
    {ObjectKind::kPgqConsumer, "pgq_consumer", "PgqConsumer"},
    {ObjectKind::kPgqNode, "pgq_node", "PgqNode"},
    {ObjectKind::kPgqLocation, "pgq_location", "PgqLocation"},
    {ObjectKind::kPgqSubscriber, "pgq_subscriber", "PgqSubscriber"},
    {ObjectKind::kLondisteTable, "londiste_table", "LondisteTable"},
    {ObjectKind::kLondisteSequence, "londiste_sequence", "LondisteSequence"},
    {ObjectKind::kPlproxyCluster, "plproxy_cluster", "PlproxyCluster"},
    {ObjectKind::kPartconf, "partconf", "Partconf"},
    {ObjectKind::kDaemon, "daemon", "Daemon"},
}};

const KindInfo& Info(ObjectKind kind) { return kKinds[static_cast<size_t>(kind)]; }

}  // namespace

std::string_view KindName(ObjectKind kind) { return Info(kind).name; }

std::string_view KindLabel(ObjectKind kind) { return Info(kind).label; }

std::optional<ObjectKind> KindFromName(std::string_view name) {
  for (const KindInfo& info : kKinds) {
    if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

bool IsSchemaQualified(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kType:
    case ObjectKind::kSequence:
    case ObjectKind::kTable:
    case ObjectKind::kView:
    case ObjectKind::kMaterializedView:
    case ObjectKind::kFunction:
    case ObjectKind::kProcedure:
    case ObjectKind::kAggregate:
      return true;
    default:
      return false;
  }
}

bool IsReplicationKind(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kPgqQueue:
    case ObjectKind::kPgqConsumer:
    case ObjectKind::kPgqNode:
    case ObjectKind::kPgqLocation:
    case ObjectKind::kPgqSubscriber:
    case ObjectKind::kLondisteTable:
    case ObjectKind::kLondisteSequence:
    case ObjectKind::kPlproxyCluster:
    case ObjectKind::kPartconf:
      return true;
    default:
      return false;
  }
}

bool QualifiesChildren(ObjectKind kind) {
  return kind == ObjectKind::kSchema || kind == ObjectKind::kPgqQueue ||
         kind == ObjectKind::kPgqNode;
}

}  // namespace pgtwin
