#pragma once

#include <optional>
#include <string_view>

namespace pgtwin {

// Every kind of object pgtwin models. The declaration order is the canonical sort order of
// siblings (and the order output is written in), so keep parents before the things they hold.
enum class ObjectKind {
  kCluster,
  kRole,
  kDatabase,
  kExtension,
  kSchema,
  kType,
  kSequence,
  kTable,
  kColumn,
  kConstraint,
  kIndex,
  kTrigger,
  kView,
  kMaterializedView,
  kFunction,
  kProcedure,
  kAggregate,
  // Replication and RPC (PgQ, pgq_node, Londiste, PL/Proxy, partconf), database children.
  kPgqQueue,
  kPgqConsumer,
  kPgqNode,
  kPgqLocation,
  kPgqSubscriber,
  kLondisteTable,
  kLondisteSequence,
  kPlproxyCluster,
  kPartconf,
  // A replication daemon pgtwin runs (a londiste worker, pgqd): not in catalog trees.
  kDaemon,
};

// The lower-case word used for `kind` in keys, snapshots, ignore rules and JSON ("table",
// "materialized_view", ...).
std::string_view KindName(ObjectKind kind);

// The class-style label used by the tree format ("PgTable", "PgMaterializedView", ...).
std::string_view KindLabel(ObjectKind kind);

// Inverse of KindName; nullopt for an unknown word.
std::optional<ObjectKind> KindFromName(std::string_view name);

// True for kinds whose objects are qualified by their schema (tables, functions, types, ...).
bool IsSchemaQualified(ObjectKind kind);

// True for the replication and RPC kinds (PgQ queues and consumers, pgq_node nodes, locations
// and subscribers, Londiste tables and sequences, PL/Proxy clusters, partconf): state kept by
// those modules' own tables and functions, not by DDL.
bool IsReplicationKind(ObjectKind kind);

// True for the kinds whose name qualifies their children's keys like a schema does
// (`londiste_table:QUEUE.schema.table`): schemas, PgQ queues and pgq_node nodes.
bool QualifiesChildren(ObjectKind kind);

}  // namespace pgtwin
