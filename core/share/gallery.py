"""Small static HTML pages: a gallery of shared photos and an upload form for contributors."""

from __future__ import annotations

from html import escape


def gallery_html(title: str, photos: list[tuple[str, str]], expires: str) -> str:
    """A page showing ``(name, url)`` photos as a grid, each linking to the full copy."""
    cells = "\n".join(
        f'<figure><a href="{escape(url)}"><img src="{escape(url)}" alt="{escape(name)}" loading="lazy"></a>'
        f"<figcaption>{escape(name)}</figcaption></figure>"
        for name, url in photos
    )
    return _page(title, f"<p>{len(photos)} photos · this page and its links expire {escape(expires)}</p>\n"
                        f'<main class="grid">\n{cells}\n</main>')  # fmt: skip


def upload_html(title: str, post_url: str, fields: dict[str, str], expires: str, max_bytes: int,
                max_total: int | None = None) -> str:  # fmt: skip
    """A form that uploads one or more files straight to the bucket with a presigned POST."""
    hidden = "\n".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items())
    form = f"""<form id="upload" method="post" enctype="multipart/form-data" action="{escape(post_url)}">
{hidden}
<input type="file" name="file" accept="image/*,video/*" multiple required>
<button type="submit">Upload</button>
</form>
<p id="status"></p>
<script>
// Several files: one POST each (a form posts only one file to S3).
document.getElementById("upload").addEventListener("submit", async (event) => {{
  const form = event.target, files = form.elements.file.files, status = document.getElementById("status");
  if (files.length < 2) return;
  event.preventDefault();
  let done = 0;
  for (const file of files) {{
    const data = new FormData();
    for (const input of form.querySelectorAll("input[type=hidden]")) data.append(input.name, input.value);
    data.append("file", file);
    const answer = await fetch(form.action, {{method: "POST", body: data}});
    status.textContent = answer.ok ? `${{++done}} of ${{files.length}} uploaded` : `${{file.name}}: refused (${{answer.status}})`;
  }}
}});
</script>"""
    total = f", {_megabytes(max_total)} in all" if max_total else ""
    note = (f"<p>Add your photos to “{escape(title)}”. Up to {_megabytes(max_bytes)} per file{total}; "
            f"this page expires {escape(expires)}.</p>")  # fmt: skip
    return _page(title, note + "\n" + form)


def _megabytes(size: int) -> str:
    return f"{size / 1000**3:g} GB" if size >= 1000**3 else f"{max(1, size // 1_000_000)} MB"


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{escape(title)}</title>
<style>
body {{ font: 16px system-ui, sans-serif; margin: 2rem; background: #111; color: #eee; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 1rem; }}
figure {{ margin: 0; }} img {{ width: 100%; height: 220px; object-fit: cover; border-radius: 4px; }}
figcaption {{ font-size: .8rem; color: #aaa; }} a {{ color: #8cf; }}
</style></head>
<body><h1>{escape(title)}</h1>
{body}
</body></html>
"""
