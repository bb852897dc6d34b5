"""Draws bench/startup.png from bench/results.json (written by bench/startup.js).

    .tools/bench-venv/bin/python bench/chart.py bench/results.json bench/startup.png

Four panels: Bun wall time per case (median, whiskers p10-p90); each Bun case's time in process,
with issue 20's target line for (d) (a multiple of (cn1)); peak RSS added over the empty script;
Node's require time against its target.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LABELS = {
    "a": "(a) empty script",
    "b": "(b) bun:ffi dlopen + Warmup()\n(asherah-node's way)",
    "c": "(c) C N-API addon:\ndlopen + Warmup() (floor)",
    "d": "(d) require('asherah-warmup')",
    "e": "(e) (d) + ASHERAH_WARMUP_SHA256",
}
COLORS = {
    "a": "#9e9e9e", "b": "#e69f00", "c": "#56b4e9", "c1": "#a6d6f0", "cn": "#cc79a7", "cn1": "#e3b3cf",
    "d0": "#7fcdb5", "d": "#009e73", "ds": "#5cb89a", "e": "#0072b2",
}
TICKS = {
    "b": "(b)\nbun:ffi", "c": "(c)\nC floor", "c1": "(c1)\nC floor\npackage", "cn": "(cn)\nnapi-rs\nfloor",
    "cn1": "(cn1)\nnapi-rs\npackage", "d0": "(d0)\nour addon,\nno JS", "d": "(d)\nrequire",
    "ds": "(ds)\n(d) +\nstatus()", "e": "(e)\n+ sha256",
}
BUDGET = "#d55e00"


def bars_with_labels(ax, x, values, colors, fmt, err=None, horizontal=False):
    if horizontal:
        ax.barh(x, values, xerr=err, color=colors, capsize=3)
    else:
        ax.bar(x, values, yerr=err, color=colors, capsize=3)
    for xx, v in zip(x, values):
        if horizontal:
            ax.annotate(fmt.format(v), (v, xx), xytext=(4, -10), textcoords="offset points", fontsize=8)
        else:
            ax.annotate(fmt.format(v), (xx, v / 2), ha="center", va="center", color="white", fontweight="bold", fontsize=9)


def budget_note(ax, text, right=False):
    """The budget line's label, in a corner of the panel so it never sits on a bar."""
    x = 0.98 if right else 0.02
    ax.text(x, 0.97, text, transform=ax.transAxes, ha="right" if right else "left", va="top", color=BUDGET, fontsize=9,
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.9))


def main(src, dst):
    r = json.load(open(src))
    s = r["summary"]
    bun = ["a", "b", "c", "d", "e"]
    fig, axes = plt.subplots(2, 2, figsize=(14, 9.5))

    # 1. Bun wall time per case
    ax = axes[0][0]
    y = list(range(len(bun)))[::-1]
    med = [s[i]["wall"]["median"] for i in bun]
    err = [[s[i]["wall"]["median"] - s[i]["wall"]["p10"] for i in bun], [s[i]["wall"]["p90"] - s[i]["wall"]["median"] for i in bun]]
    bars_with_labels(ax, y, med, [COLORS[i] for i in bun], "{:.2f} ms", err=err, horizontal=True)
    ax.set_yticks(y, [LABELS[i] for i in bun], fontsize=8)
    ax.set_xlabel("wall time per fresh process, ms (median; whiskers p10-p90)")
    ax.set_title(f"Bun {r['versions']['bun']}: whole process")
    ax.set_xlim(0, max(s[i]["wall"]["p90"] for i in bun) * 1.15)

    # 2. time in process, with the target for (d)
    ax = axes[0][1]
    op_ids = [i for i in ["b", "c", "c1", "cn", "cn1", "d0", "d", "ds", "e"] if i in s]
    x = list(range(len(op_ids)))
    op = [s[i]["op"]["median"] for i in op_ids]
    err = [[s[i]["op"]["median"] - s[i]["op"]["p10"] for i in op_ids], [s[i]["op"]["p90"] - s[i]["op"]["median"] for i in op_ids]]
    bars_with_labels(ax, x, op, [COLORS[i] for i in op_ids], "{:.2f}", err=err)
    target = r["budgets"]["bunVsNapiPackage"]
    limit = target * s["cn1"]["op"]["median"]
    ax.axhline(limit, color=BUDGET, linestyle="--", linewidth=1.2)
    budget_note(ax, f"- - target for (d): {target} x (cn1) = {limit:.2f} ms")
    ax.set_xticks(x, [TICKS[i] for i in op_ids], fontsize=8)
    ax.set_ylabel("ms inside the process around the require (median; p10-p90)")
    ax.set_title("Bun: the require in process")
    ax.set_ylim(0, max(s[i]["op"]["p90"] for i in op_ids) * 1.15)

    # 3. peak RSS added over (a)
    ax = axes[1][0]
    rss_ids = [i for i in ["b", "c", "c1", "cn", "cn1", "d0", "d", "ds", "e"] if i in r["added"]["rss"]]
    x = list(range(len(rss_ids)))
    rss = [s[i]["rss"]["median"] - s["a"]["rss"]["median"] for i in rss_ids]
    bars_with_labels(ax, x, rss, [COLORS[i] for i in rss_ids], "{:.2f}")
    ax.set_xticks(x, [TICKS[i] for i in rss_ids], fontsize=8)
    ax.set_ylabel(f"peak RSS added over (a), MiB ((a) = {s['a']['rss']['median']:.1f} MiB)")
    ax.set_title("Bun: memory a Go runtime start adds")
    ax.set_ylim(0, max(rss) * 1.2)

    # 4. Node: require time
    ax = axes[1][1]
    node_ids = [i for i in ["nd", "nx", "n0"] if i in s]
    node_vals = [s[i]["op"]["median"] for i in node_ids]
    node_err = [[s[i]["op"]["median"] - s[i]["op"]["p10"] for i in node_ids], [s[i]["op"]["p90"] - s[i]["op"]["median"] for i in node_ids]]
    bars_with_labels(ax, list(range(len(node_ids))), node_vals, ["#009e73", "#b0b0b0", "#d0d0d0"][: len(node_ids)], "{:.2f} ms", err=node_err)
    nlimit = r["budgets"]["nodeVsPackage"] * s["nx"]["op"]["median"]
    ax.axhline(nlimit, color=BUDGET, linestyle="--", linewidth=1.2)
    budget_note(ax, f"- - target: {r['budgets']['nodeVsPackage']} x one-line package with exports = {nlimit:.2f} ms", right=True)
    names = {"nd": "require('asherah-warmup')", "nx": "ref: one-line package\nwith an exports map", "n0": "ref: one-line package,\nno exports map"}
    ax.set_xticks(list(range(len(node_ids))), [names[i] for i in node_ids], fontsize=8)
    ax.set_ylabel("ms inside the process around the require (median; p10-p90)")
    ax.set_title(f"Node {r['versions']['node']}: what the require adds (no native file is loaded)")
    ax.axhline(0, color="black", linewidth=0.6)

    fig.suptitle(
        f"asherah-warmup startup: {r['options']['runs']} fresh processes per case, interleaved ({r['date'][:10]}, {r['machine']['cores']} cores)",
        fontsize=12,
    )
    fig.tight_layout()
    fig.savefig(dst, dpi=100)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
