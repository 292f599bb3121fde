#pragma once

#include "model/status.h"

namespace pgtwin {

// Process exit codes of every pgtwin command (docs/cli.md).
inline constexpr int kExitOk = 0;              // success; for diff: no differences
inline constexpr int kExitError = 1;           // any error, command-line errors included
inline constexpr int kExitDifferences = 2;     // diff: differences found
inline constexpr int kExitChangesPending = 2;  // reconcile --dry-run: the plan changes things
inline constexpr int kExitBlocked = 3;         // reconcile --dry-run: policy blocks changes
// reconcile: some site was not planned (down, locked, a source), some action was not done, or
// the sites observed again after the apply still differ
inline constexpr int kExitNotConverged = 1;

// Prints "pgtwin: <message>" as one line on stderr (line breaks in the message become spaces)
// and returns kExitError.
int ReportError(const Status& status);

}  // namespace pgtwin
