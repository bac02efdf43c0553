"""A per-record summary table."""

from .composition import gc_content, kmer_counts


def top_kmers(sequence, k, n=3, both_strands=False):
    counts = kmer_counts(sequence, k, both_strands)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def summary(records, k=3):
    rows = []
    for record in records:
        top = top_kmers(record.sequence, k, n=1)
        rows.append({
            "id": record.id,
            "length": len(record),
            "gc": round(100 * gc_content(record.sequence), 1),
            "top": f"{top[0][0]}x{top[0][1]}" if top else "-",
        })
    return rows


def render(rows):
    lines = [f"{'id':<10} {'length':>6} {'gc%':>5}  top"]
    lines += [f"{r['id']:<10} {r['length']:>6} {r['gc']:>5.1f}  {r['top']}" for r in rows]
    return "\n".join(lines)
