"""The numpy peer's Monte Carlo loop, vectorised over runs (bench/peers/numpy-peer.ts writes the
model's data as data.json and its kernel as kernel.py next to a copy of this file).

Written as a numpy programmer would: each batch of runs draws its parameters by inversion of
numpy's generator (PCG64), the copula through its Cholesky factor, the shocks as AR(1) series,
then runs the kernel once per year over the whole batch (a parameter no draw moves stays a float)
and folds every statistics cell: sums about the pilot centre, min, max, a histogram bin, and each
target's verdict and first year. Same distributions as the engine, not the same random numbers.

usage: python3 peer.py DIR RUNS SEED [BATCH]   (BATCH runs at a time, default 5000: the fastest of
       1000, 5000 and 20000 measured here) folded statistics as JSON on stdout
       python3 peer.py DIR --det               the deterministic projection as JSON
"""
import importlib.util
import json
import math
import os
import sys

import numpy as np

CELL_BLOCK = 38


def qnorm(p):
    """Wichura's AS 241 (PPND16), vectorised."""
    p = np.asarray(p, dtype=float)
    q = p - 0.5
    r = 0.180625 - q * q
    central = q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                       + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                     + 133.14166789178437745) * r + 3.387132872796366608) / (
        (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r
             + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
          + 42.313330701600911252) * r + 1.0))
    tail = np.minimum(p, 1 - p)
    with np.errstate(all="ignore"):
        r = np.sqrt(-np.log(tail))
    r1 = r - 1.6
    mid = (((((((r1 * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r1 + 0.24178072517745061177) * r1
                + 1.27045825245236838258) * r1 + 3.64784832476320460504) * r1 + 5.7694972214606914055) * r1
             + 4.6303378461565452959) * r1 + 1.42343711074968357734) / (
        (((((((r1 * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r1 + 0.0151986665636164571966) * r1
             + 0.14810397642748007459) * r1 + 0.68976733498510000455) * r1 + 1.6763848301838038494) * r1
          + 2.05319162663775882187) * r1 + 1.0))
    r2 = r - 5
    far = (((((((r2 * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r2 + 0.0012426609473880784386) * r2
                + 0.026532189526576123093) * r2 + 0.29656057182850489123) * r2 + 1.7848265399172913358) * r2
             + 5.4637849111641143699) * r2 + 6.6579046435011037772) / (
        (((((((r2 * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r2 + 1.8463183175100546818e-5) * r2
             + 7.868691311456132591e-4) * r2 + 0.0148753612908506148525) * r2 + 0.13692988092273580531) * r2
          + 0.59983220655588793769) * r2 + 1.0))
    t = np.where(r <= 5, mid, far)
    return np.where(np.abs(q) <= 0.425, central, np.where(q < 0, -t, t))


# numpy has no erfc (scipy is not assumed): math.erfc element by element, for the few correlated draws.
_erfc = np.frompyfunc(math.erfc, 1, 1)


def quantile(d, u):
    q = d["q"]
    k = d["kind"]
    if k == "uniform":
        return q[0] + u * q[1]
    if k == "triangular":
        return np.where(u < q[2], q[0] + np.sqrt(u * q[3]), q[1] - np.sqrt((1 - u) * q[4]))
    if k == "normal":
        return q[0] + q[1] * qnorm(u)
    return q[0] * np.exp(q[1] * qnorm(u))


def load(dir):
    with open(os.path.join(dir, "data.json")) as f:
        data = json.load(f)
    spec = importlib.util.spec_from_file_location("kernel", os.path.join(dir, "kernel.py"))
    kernel = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kernel)
    return data, kernel


def project(data, kernel, P, X):
    ns, years = data["seriesCount"], data["years"]
    S = [0.0] * data["stateCount"]
    OUT = [0.0] * (years * ns)
    L = data["levers"]
    kernel.init(P, S, OUT)
    base = data["baseYear"]
    for yi in range(1, years):
        kernel.step(P, L, X, S, OUT, yi, base + yi)
    return OUT


def batch(data, kernel, rng, n):
    base = data["params"]
    P = list(base)
    k = data["copula"]["size"]
    if k:
        f = np.array(data["copula"]["factor"]).reshape(k, k)
        x = f @ rng.standard_normal((k, n))
        u = np.clip(0.5 * _erfc(-x / math.sqrt(2)).astype(float), 5e-324, 1 - 2.0**-53)
    for d in data["draws"]:
        x = quantile(d, u[d["correlated"]] if d["correlated"] >= 0 else rng.random(n))
        for s in d["slots"]:
            P[s] = x if d["apply"] == "replace" else base[s] * x if d["apply"] == "scale" else base[s] + x
    xb, years = data["shockBlock"], data["years"]
    X = [0.0] * (years * xb)
    for s in data["shocks"]:
        e = s["sd"] * rng.standard_normal(n)
        for yi in range(1, years):
            if yi > 1:
                e = s["rho"] * e + s["innovation"] * rng.standard_normal(n)
            for slot in s["slots"]:
                X[yi * xb + slot] = e
    return project(data, kernel, P, X)


def main():
    dir = sys.argv[1]
    data, kernel = load(dir)
    np.seterr(all="ignore")
    ns = data["seriesCount"]
    if sys.argv[2] == "--det":
        out = project(data, kernel, list(data["params"]), [0.0] * (data["years"] * data["shockBlock"]))
        print(json.dumps({"out": [float(v) for v in out]}))
        return
    runs, seed = int(sys.argv[2]), int(sys.argv[3])
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
    rng = np.random.default_rng(seed)
    cells, bins, off, span = data["cells"], data["bins"], data["horizonOffset"], data["span"]
    stride = bins + 2
    centre = np.array(data["centre"])[:, None]
    lo = np.array(data["lo"])[:, None]
    iw = np.array(data["invWidth"])[:, None]
    rows = (np.arange(cells) * stride)[:, None]
    s1, s2 = np.zeros(cells), np.zeros(cells)
    mn, mx = np.full(cells, np.inf), np.full(cells, -np.inf)
    hist = np.zeros(cells * stride, dtype=np.int64)
    targets = data["targets"]
    reached = np.zeros(len(targets))
    first = np.zeros((len(targets), span + 1))
    bad = 0
    done = 0
    while done < runs:
        n = min(size, runs - done)
        OUT = batch(data, kernel, rng, n)
        # Cells a few dozen at a time: temporaries of 798 × batch doubles would not stay in cache.
        for c0 in range(0, cells, CELL_BLOCK):
            c1 = min(cells, c0 + CELL_BLOCK)
            V = np.empty((c1 - c0, n))
            for c in range(c0, c1):
                V[c - c0] = OUT[off * ns + c]
            ok = np.isfinite(V)
            if not ok.all():
                bad += int(ok.size - ok.sum())
                V = np.where(ok, V, np.nan)
            d = V - centre[c0:c1]
            s1[c0:c1] += np.nansum(d, axis=1) if bad else d.sum(axis=1)
            s2[c0:c1] += np.nansum(d * d, axis=1) if bad else np.einsum("ij,ij->i", d, d)
            mn[c0:c1] = np.fmin(mn[c0:c1], np.nanmin(V, axis=1) if bad else V.min(axis=1))
            mx[c0:c1] = np.fmax(mx[c0:c1], np.nanmax(V, axis=1) if bad else V.max(axis=1))
            t = (V - lo[c0:c1]) * iw[c0:c1]
            np.clip(t, -1, bins, out=t)
            idx = np.floor(t).astype(np.int64) + rows[: c1 - c0] + 1
            if bad:
                idx = idx[ok]
            hist[c0 * stride : c1 * stride] += np.bincount(idx.ravel(), minlength=(c1 - c0) * stride)
        for i, tg in enumerate(targets):

            def meets(y):
                v = OUT[y * ns + tg["series"]]
                r = OUT[y * ns + tg["refSeries"]] if tg["refSeries"] >= 0 else tg["refValue"]
                return np.broadcast_to(v >= r if tg["atLeast"] else v <= r, (n,))

            reached[i] += meets(tg["yearOffset"]).sum()
            year = np.full(n, span)
            for y in range(span - 1, -1, -1):
                year = np.where(meets(off + y), y, year)
            first[i] += np.bincount(year, minlength=span + 1)
        done += n
    if bad:
        print(f"peer: {bad} non-finite values", file=sys.stderr)
    count = runs
    print(json.dumps({
        "runs": runs,
        "mean": (centre[:, 0] + s1 / count).tolist(),
        "sd": np.sqrt(np.maximum(0, (s2 - s1 * s1 / count) / (count - 1))).tolist(),
        "min": mn.tolist(),
        "max": mx.tolist(),
        "hist": hist.tolist(),
        "reached": reached.tolist(),
        "firstYear": first.ravel().tolist(),
    }))


main()
