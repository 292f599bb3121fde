#!/usr/bin/env bash
# Fails when an #include goes against pgtwin's dependency direction:
#   model/      standard library only (and model/ itself)
#   providers/  model/ and providers/; the only place for client-library headers
#   reconciler/ model/, providers/, reconciler/; never libpqxx, yaml-cpp or cpprestsdk directly
#               (reconciler/cli/ is the thin main and may wire concrete providers)
set -euo pipefail
root=${1:?project root}
cd "$root"
fail=0
report() { echo "dependency violation: $1"; fail=1; }

while IFS= read -r line; do report "$line"; done < <(
  grep -rnE '#include\s*[<"]' model --include='*.h' --include='*.cc' \
    | grep -vE '#include\s*<[a-z_0-9]+(\.h)?>' | grep -vE '#include\s*"model/' || true)
while IFS= read -r line; do report "$line"; done < <(
  grep -rnE '#include\s*"(reconciler)/' providers --include='*.h' --include='*.cc' || true)
while IFS= read -r line; do report "$line"; done < <(
  grep -rnE '#include\s*[<"](pqxx|yaml-cpp|cpprest)/' reconciler --include='*.h' --include='*.cc' || true)

[ "$fail" -eq 0 ] && echo "dependency direction: ok"
exit "$fail"
