#pragma once

#include "model/diff.h"
#include "model/object.h"
#include "reconciler/diff/ignore_rules.h"

namespace pgtwin {

// Compares two trees in canonical order (see Object::Normalize) and returns their differences.
// Pure: no I/O, no copies of subtrees; one merge walk over both trees, linear in their size.
//
// The roots are compared with each other whatever their kinds' names are (a cluster with a
// cluster, or two databases named differently); a database root is reported and used as the
// path under the target's name. Below the roots, children match by (kind, name). An object on
// one side only is reported once, at its top. An object matched by `ignore` is skipped with
// its subtree, on both sides, and counted once in `summary.ignored`; the roots are never
// ignored. The result's entries point into `source` and `target`.
DiffResult DiffTrees(const Object& source, const Object& target, const IgnoreRules& ignore);

}  // namespace pgtwin
