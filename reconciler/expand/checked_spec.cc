#include "reconciler/expand/checked_spec.h"

#include "providers/snapshot/snapshot_dir.h"
#include "providers/yaml/spec_loader.h"
#include "reconciler/expand/expander.h"

namespace pgtwin {

CheckedSpecResult LoadCheckedSpec(const std::string& path) {
  CheckedSpecResult result;
  SpecLoadResult loaded = LoadSpec(path);
  if (!loaded.spec) {
    result.errors = std::move(loaded.errors);
    return result;
  }
  StatusOr<Snapshot> snapshot = LoadSnapshot(loaded.spec->prod_snapshot);
  if (!snapshot.ok()) {
    result.errors.push_back(SpecError{loaded.spec->prod_snapshot_where,
                                      "cannot load the Prod snapshot: " +
                                          snapshot.status().message()});
    return result;
  }
  result.errors = CheckSpecAgainstProd(*loaded.spec, snapshot->cluster);
  if (result.errors.empty()) {
    result.checked = CheckedSpec{std::move(*loaded.spec), std::move(snapshot->cluster),
                                 std::move(snapshot->system_identifier)};
  }
  return result;
}

}  // namespace pgtwin
