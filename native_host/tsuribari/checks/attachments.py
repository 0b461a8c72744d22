"""Attachments that run code, hide their type, or carry a login form."""
from __future__ import annotations

from ..model import Attachment, Finding
from .context import Context

EXECUTABLE = (".exe", ".scr", ".com", ".pif", ".bat", ".cmd", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh",
              ".hta", ".ps1", ".msi", ".jar", ".lnk", ".iso", ".img", ".vhd", ".cpl", ".reg", ".chm", ".dll",
              ".application", ".appx", ".msix", ".one", ".xll")
MACRO = (".docm", ".xlsm", ".pptm", ".dotm", ".xlam", ".xls", ".doc", ".ppt", ".xlsb")
HTML = (".html", ".htm", ".shtml", ".xhtml", ".svg", ".mht", ".mhtml")
DOC_LIKE = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".png", ".txt", ".zip")


def _ev(att: Attachment) -> dict:
    return {"filename": att.filename, "declared_type": att.declared_type, "sniffed_type": att.sniffed_type,
            "size": att.size}


def _name(att: Attachment) -> str:
    # Trailing dots and spaces are dropped by Windows when saving, so 'a.exe. ' runs as 'a.exe'.
    return att.filename.lower().rstrip(". \t")


def dangerous_attachments(ctx: Context) -> list[Finding]:
    out = []
    for att in ctx.facts.attachments:
        name = _name(att)
        stem = name.rsplit(".", 1)[0] if "." in name else ""
        if name.endswith(EXECUTABLE) or att.sniffed_type in ("application/x-msdownload", "application/x-elf"):
            fid = "attachment.double_extension" if stem.endswith(DOC_LIKE) else "attachment.executable"
            out.append(ctx.make(fid, _ev(att), filename=att.filename[:100]))
        elif att.has_form or (name.endswith(HTML) or att.sniffed_type == "text/html") and att.has_script:
            out.append(ctx.make("attachment.html_form", _ev(att), filename=att.filename[:100]))
        elif name.endswith(HTML) or att.sniffed_type in ("text/html", "image/svg+xml"):
            out.append(ctx.make("attachment.html", _ev(att), filename=att.filename[:100]))
        elif name.endswith(MACRO) and att.sniffed_type in ("application/x-ole-storage", "application/zip", "application/x-office-openxml"):
            out.append(ctx.make("attachment.macro_office", _ev(att), filename=att.filename[:100]))
        elif att.sniffed_type in ("application/x-iso9660-image",):
            out.append(ctx.make("attachment.executable", _ev(att), filename=att.filename[:100]))
        if len(out) >= 3:
            break
    # Several attachments of one kind give one finding: verdict.dedupe keeps the first per id.
    return out


CHECKS = (dangerous_attachments,)
