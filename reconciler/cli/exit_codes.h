#pragma once

#include "model/status.h"

namespace pgtwin {

// Process exit codes of every pgtwin command (docs/cli.md).
inline constexpr int kExitOk = 0;              // success; for diff: no differences
inline constexpr int kExitError = 1;           // any error, command-line errors included
inline constexpr int kExitDifferences = 2;     // diff: differences found
inline constexpr int kExitChangesPending = 2;  // reconcile --dry-run: the plan changes things
inline constexpr int kExitBlocked = 3;         // reconcile --dry-run: policy blocks changes
inline constexpr int kExitNotConverged = 1;    // reconcile: some site or action did not converge

// Prints "pgtwin: <message>" as one line on stderr (line breaks in the message become spaces)
// and returns kExitError.
int ReportError(const Status& status);

}  // namespace pgtwin
