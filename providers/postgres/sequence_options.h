#pragma once

#include <cstdint>
#include <string>

#include "model/object.h"

namespace pgtwin {

// The parameters of a sequence as pg_sequence holds them.
struct SequenceParams {
  std::string data_type = "bigint";  // format_type of seqtypid: smallint, integer or bigint
  int64_t start = 1;
  int64_t increment = 1;
  int64_t min_value = 1;
  int64_t max_value = INT64_MAX;
  int64_t cache = 1;
  bool cycle = false;
};

// The name format_type gives a sequence's type oid (pg_sequence.seqtypid): int2, int4, int8.
std::string SequenceTypeName(uint32_t type_oid);

// Sets data_type, start, increment, min_value, max_value, cache and cycle on a sequence node,
// leaving out each one that is at the default CREATE SEQUENCE would give it (which depends on
// the data type and the direction). `start` is left out only at 1 (ascending) or -1
// (descending), whatever min_value and max_value are.
void SetSequenceAttrs(const SequenceParams& params, Object& sequence);

// The non-default options of an identity column's sequence in CREATE SEQUENCE syntax and
// order ("INCREMENT BY 10 START WITH 100"); "" when all are defaults. The data type is the
// column's, so it is not repeated.
std::string IdentityOptions(const SequenceParams& params);

}  // namespace pgtwin
