#!/usr/bin/env bash
# Sums the <Counters> of every TRX file under a directory (one file per test project) into the
# one plain line CI reads (DESIGN.md §6): `N passed, N failed`, plus `, N skipped` when some were.
# awk only: python3 is not on the CI machine.
#   usage: .ci/test-totals.sh <results-dir>
#   exit:  0 no failure, 1 some test failed, 2 no TRX file found
set -euo pipefail

dir="${1:?usage: $0 <results-dir>}"
mapfile -t files < <(find "$dir" -name '*.trx' -type f 2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "error: no TRX file under $dir: the tests did not run (see the build output above)" >&2
  exit 2
fi

# One record per XML element (RS="<"), so attributes may sit on any line of the element.
# Errors, timeouts and aborts count as failures; skipped = total - executed (what xUnit reports
# as NotExecuted through VSTest).
awk 'BEGIN { RS = "<" }
     function count(name,   m) {
       if (match($0, "[ \t\r\n]" name "=\"[0-9]+\"")) {
         m = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0
       }
       return 0
     }
     /^Counters[ \t\r\n]/ {
       total += count("total"); executed += count("executed"); passed += count("passed")
       failed += count("failed") + count("error") + count("timeout") + count("aborted")
     }
     END {
       line = passed " passed, " failed " failed"
       if (total - executed > 0) line = line ", " (total - executed) " skipped"
       print line
       exit failed > 0 ? 1 : 0
     }' "${files[@]}"
