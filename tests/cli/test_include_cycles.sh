# No circles between the library's files, within a folder as well as between floors
# (test_source_floors.sh checks those). A file is a unit with its header (x.c and x.h, x.cu and
# x.cuh, in the same folder); a header with no source of its own is a unit alone. Two graphs:
#   - includes: unit A → unit B when a file of A includes a header of B;
#   - calls: unit A → unit B when A's object uses a symbol B's object defines (nm on the build's
#     objects, so that two files calling each other through a header both share are seen too).
# Either with a cycle fails, naming the files and what closes it. The fix is a lower file both call.
source "$(dirname "$0")/lib.sh"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "$(dirname "$MUMLOC")/.." && pwd)"
# The object list goes through a file: python's stdin is the program below.
find "$build/CMakeFiles" -path '*/native/src/*' -name '*.o' 2>/dev/null | sort >"$SCRATCH/objects"
[ -s "$SCRATCH/objects" ] ||
  echo "test_include_cycles: no objects under $build/CMakeFiles: calls not checked" >&2
python3 - "$repo/native/src" "$SCRATCH/objects" <<'PY' || fail "circles between files (see above): move what both sides use into a lower file"
import os, re, subprocess, sys

root = sys.argv[1]
sources = ('.c', '.cu', '.cpp')
files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs
               if f.endswith(sources + ('.h', '.cuh')))
known = set(files)
stems = {}
for f in files:
    stems.setdefault(os.path.splitext(f)[0], []).append(f)

def unit(f):
    stem = os.path.splitext(f)[0]
    if f.endswith(sources) or any(g.endswith(sources) for g in stems[stem]):
        return stem
    return f  # a header alone

def cycles(edges):
    """Strongly connected components with more than one unit (Tarjan, iterative)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, {}))))]
        index[start] = low[start] = counter[0]; counter[0] += 1; stack.append(start); on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]; counter[0] += 1; stack.append(w); on.add(w)
                    work.append((w, iter(sorted(edges.get(w, {})))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop(); on.discard(w); comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found

def report(kind, edges):
    bad = cycles(edges)
    for comp in bad:
        print(f"{kind} circle between {', '.join(comp)}:", file=sys.stderr)
        members = set(comp)
        for v in comp:
            for w, why in sorted(edges[v].items()):
                if w in members:
                    print(f"  {v} -> {w}: {', '.join(sorted(set(why))[:4])}", file=sys.stderr)
    return len(bad)

include = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
includes = {}
for f in files:
    a = unit(f)
    includes.setdefault(a, {})
    with open(os.path.join(root, f), errors='replace') as text:
        for line in text:
            m = include.match(line)
            if not m:
                continue
            target = next((t for t in (os.path.normpath(os.path.join(os.path.dirname(f), m.group(1))),
                                       os.path.normpath(m.group(1))) if t in known), None)
            if target and unit(target) != a:
                includes[a].setdefault(unit(target), []).append(f"{f} includes {target}")
bad = report("include", includes)

defined, used = {}, {}
objects = open(sys.argv[2]).read().split()
if objects and not any('/native/src/' in o for o in objects):
    sys.exit("no library objects in the list: the call graph would be empty")
for obj in objects:
    source = obj.split('/native/src/', 1)[1][:-len('.o')]
    if source not in known:
        continue  # left behind by a file since renamed or removed
    a = unit(source)
    nm = subprocess.run(['nm', obj], capture_output=True, text=True, check=True).stdout
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'TDBRV':
            defined[parts[2]] = a
        elif len(parts) == 2 and parts[0] == 'U':
            used.setdefault(a, set()).add(parts[1])
calls = {}
for a, symbols in used.items():
    calls.setdefault(a, {})
    for s in symbols:
        b = defined.get(s)
        if b and b != a:
            calls[a].setdefault(b, []).append(s)
bad += report("call", calls)
sys.exit(1 if bad else 0)
PY
echo "test_include_cycles: all checks passed"
