#include "providers/postgres/sequence_options.h"

namespace pgtwin {
namespace {

int64_t TypeMax(const std::string& type) {
  if (type == "smallint") return INT16_MAX;
  if (type == "integer") return INT32_MAX;
  return INT64_MAX;
}

int64_t TypeMin(const std::string& type) {
  if (type == "smallint") return INT16_MIN;
  if (type == "integer") return INT32_MIN;
  return INT64_MIN;
}

// The parameters that differ from CREATE SEQUENCE's defaults, as text ("" when default).
struct NonDefault {
  std::string increment, min_value, max_value, start, cache;
};

NonDefault NonDefaults(const SequenceParams& p) {
  bool ascending = p.increment > 0;
  int64_t default_min = ascending ? 1 : TypeMin(p.data_type);
  int64_t default_max = ascending ? TypeMax(p.data_type) : -1;
  // CREATE SEQUENCE starts at MINVALUE (MAXVALUE descending), but a default that follows
  // min_value would make a change of MINVALUE alone look like a change of START too: start is
  // left out only at the defaults' defaults, 1 ascending and -1 descending.
  int64_t default_start = ascending ? 1 : -1;
  NonDefault n;
  if (p.increment != 1) n.increment = std::to_string(p.increment);
  if (p.min_value != default_min) n.min_value = std::to_string(p.min_value);
  if (p.max_value != default_max) n.max_value = std::to_string(p.max_value);
  if (p.start != default_start) n.start = std::to_string(p.start);
  if (p.cache != 1) n.cache = std::to_string(p.cache);
  return n;
}

void AppendOption(std::string& out, const char* keyword, const std::string& value) {
  if (value.empty()) return;
  if (!out.empty()) out += ' ';
  out += keyword;
  out += ' ';
  out += value;
}

}  // namespace

std::string SequenceTypeName(uint32_t type_oid) {
  switch (type_oid) {  // PostgreSQL's fixed oids of int2, int4 and int8
    case 21:
      return "smallint";
    case 23:
      return "integer";
    default:
      return "bigint";
  }
}

void SetSequenceAttrs(const SequenceParams& params, Object& sequence) {
  NonDefault n = NonDefaults(params);
  sequence.SetAttr("data_type", params.data_type == "bigint" ? "" : params.data_type);
  sequence.SetAttr("increment", n.increment);
  sequence.SetAttr("min_value", n.min_value);
  sequence.SetAttr("max_value", n.max_value);
  sequence.SetAttr("start", n.start);
  sequence.SetAttr("cache", n.cache);
  sequence.SetFlag("cycle", params.cycle);
}

std::string IdentityOptions(const SequenceParams& params) {
  NonDefault n = NonDefaults(params);
  std::string out;
  AppendOption(out, "INCREMENT BY", n.increment);
  AppendOption(out, "MINVALUE", n.min_value);
  AppendOption(out, "MAXVALUE", n.max_value);
  AppendOption(out, "START WITH", n.start);
  AppendOption(out, "CACHE", n.cache);
  if (params.cycle) out += out.empty() ? "CYCLE" : " CYCLE";
  return out;
}

}  // namespace pgtwin
