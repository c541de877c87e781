# `grep mumloc_` finds the public API only: in the library's sources (native/src) every identifier
# that starts mumloc_ or MUMLOC_ (outside comments and string literals) is one that
# native/include/mumloc.h declares. Internal functions, types and macros are named by their module
# (psf_model_eval, tiff_reader_open, ERROR_TRY), not by the library. Two names keep the prefix:
# the CUDA object's exported symbol, looked up by name, and a compile definition CMake sets.
source "$(dirname "$0")/lib.sh"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
python3 - "$repo" <<'PY' || fail "internal identifiers named mumloc_/MUMLOC_ (see above): name them by their module (without the prefix), e.g. with /work/notes/rename-internal.sh's rules"
import os, re, sys

repo = sys.argv[1]
keep = {"mumloc_cuda_api_get", "MUMLOC_CUDA_BUILT"}
prefix = re.compile(r"\b(?:mumloc|MUMLOC)_\w+")
token = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|[A-Za-z_]\w*', re.S)
header = open(os.path.join(repo, "native/include/mumloc.h"), encoding="utf-8").read()
public = set(prefix.findall(re.sub(r"//[^\n]*|/\*.*?\*/", " ", header, flags=re.S)))
if len(public) < 100:
    sys.exit(f"only {len(public)} public names found in mumloc.h: the check would mean nothing")
bad = 0
root = os.path.join(repo, "native/src")
for folder, _, names in sorted(os.walk(root)):
    for name in sorted(names):
        if not name.endswith((".c", ".h", ".cu", ".cuh", ".cpp")):
            continue
        path = os.path.join(folder, name)
        text = open(path, encoding="utf-8", errors="replace").read()
        found = {}
        for m in token.finditer(text):
            t = m.group(0)
            if prefix.fullmatch(t) and t not in public and t not in keep:
                found.setdefault(t, text.count("\n", 0, m.start()) + 1)
        for t, line in sorted(found.items(), key=lambda kv: kv[1]):
            print(f"{os.path.relpath(path, repo)}:{line}: {t} is not in mumloc.h", file=sys.stderr)
            bad += 1
sys.exit(1 if bad else 0)
PY
echo "test_public_names: all checks passed"
