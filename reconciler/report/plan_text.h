#pragma once

#include <ostream>

#include "reconciler/report/reconcile_report.h"

namespace pgtwin {

// Writes the plan for people, in the manner of `terraform plan` (docs/cli.md): per site, the
// cluster-wide actions and then each database's, in plan order, each as
// `<marker> <key>` (`+` create, `~` change, `-/+` replace, `-` drop) with `[destructive]` and
// `[blocked: why]` marks, the reason as a `-- ` line and the SQL below it; then the site's
// unmanaged objects it keeps (those a drop action removes show as that action); a site that could
// not be planned shows why. Ends with the line "Plan: C to create, A to change, R to replace, D to
// drop; U unmanaged kept; B blocked." With `color`, markers and marks are coloured with ANSI
// escapes.
void WritePlanText(const ReconcileReport& report, bool color, std::ostream& out);

// Writes what apply did: one line per action (`done`, `failed` or `skipped`, its marker, key,
// site and database), the error under failed and skipped ones; when some action was done, what
// observing its sites again found ("Verify: dc1 observed again: nothing left to do." or the
// actions still planned, as WritePlanText shows them); then "Converged: N done[, verified]."
// or "Not converged: N done, F failed, S skipped; X sites not planned; R still different after
// apply."
void WriteApplyText(const ReconcileReport& report, bool color, std::ostream& out);

// Writes the replication daemons of the pass (report.daemons), nothing when there is none:
// a blank line, "Daemons:" and one aligned line per daemon: its name, site/database (the site
// for pgqd), "running (pid N)" or "not running", "lag 1.2 s" and "last seen 0.4 s ago" when
// known, and "error: ..." when it has one.
void WriteDaemonsText(const ReconcileReport& report, bool color, std::ostream& out);

}  // namespace pgtwin
