"""What a payload really is, from its first bytes (the declared type is the sender's claim)."""
from __future__ import annotations

_MAGIC = (
    (b"MZ", "application/x-msdownload"),
    (b"\x7fELF", "application/x-elf"),
    (b"PK\x03\x04", "application/zip"),
    (b"%PDF", "application/pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"Rar!", "application/x-rar"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"\x1f\x8b", "application/gzip"),
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"{\\rtf", "application/rtf"),
)
_HTML_MARKERS = (b"<html", b"<!doctype html", b"<head", b"<body", b"<script", b"<form", b"<meta", b"<iframe")


def sniff_type(data: bytes, filename: str = "") -> str:
    head = data[:4096]
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            if mime == "application/zip" and filename.lower().endswith((".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".pptm")):
                return "application/x-office-openxml"
            return mime
    if len(data) > 0x8006 and data[0x8001:0x8006] == b"CD001":
        return "application/x-iso9660-image"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(marker in lowered[:1024] for marker in _HTML_MARKERS):
        return "text/html"
    if lowered.startswith(b"<svg") or b"<svg" in lowered[:512]:
        return "image/svg+xml"
    return ""
