#pragma once

#include <ostream>

#include "reconciler/report/reconcile_report.h"

namespace pgtwin {

// Writes a reconcile run as JSON (format version 1, docs/cli.md), 2-space indented, ending
// with a newline:
// {"version":1,"environment":…,"applied":bool,
//  "sites":[{"name","server","planned":bool,"error":string|null}],
//  "summary":{"create","alter","replace","drop","unmanaged" (kept),"blocked"},
//  "actions":[{"id","site","database":string|null,"op","kind","key","reason","risk","sql":[…],
//              "in_transaction","depends_on":[…],"blocked_by":string|null}],
//  "unmanaged":[{"site","database":string|null,"kind","key","kept":bool}],
//  (every object Test has and Prod does not; "kept": false when a drop action removes it),
//  "daemons":[{"name","site","database":string|null,"running":bool,"pid":int|null,
//              "lag_seconds":number|null,"last_seen_seconds":number|null,"error":string|null}]
//  (the replication daemons the pass found, report.daemons),
//  and when applied: "outcomes":[{"id","state","error":string|null}],
//                    "verification":null (nothing done) |
//                        {"sites":[as "sites"], "remaining":[as "actions"]},
//                    "result":{"done","failed","skipped","remaining","verified":bool,
//                              "converged":bool}}
// Invalid UTF-8 is written as U+FFFD.
void WriteReconcileJson(const ReconcileReport& report, std::ostream& out);

}  // namespace pgtwin
