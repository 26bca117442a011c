"""Hand-made Daylio backups in the shape of real exports (no real person's data).

`backup()` is the decoded JSON of a small Android backup; `pack()` writes it the way the app
does: base64 of the JSON wrapped at 76 characters (LF on Android, CRLF on iOS), in a ZIP whose
member is backup.daylio, next to assets/ (photos).
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from typing import Any

HOUR_MS = 3_600_000


def backup() -> dict[str, Any]:
    return {
        "version": 15,
        "isReminderOn": True,
        "customMoods": [
            {"id": 1, "custom_name": "", "mood_group_id": 1, "mood_group_order": 0,
             "icon_id": 1, "predefined_name_id": 1, "state": 0, "createdAt": 1674550757631},
            {"id": 6, "custom_name": "love it", "mood_group_id": 1, "mood_group_order": 1,
             "icon_id": 6, "predefined_name_id": -1, "state": 0, "createdAt": 1674550854384},
            {"id": 2, "custom_name": "", "mood_group_id": 2, "mood_group_order": 0,
             "icon_id": 2, "predefined_name_id": 2, "state": 0, "createdAt": 1674550757631},
            {"id": 3, "custom_name": "", "mood_group_id": 3, "mood_group_order": 0,
             "icon_id": 3, "predefined_name_id": 3, "state": 0, "createdAt": 1674550757631},
            {"id": 8, "custom_name": "far away", "mood_group_id": 4, "mood_group_order": 1,
             "icon_id": 14, "predefined_name_id": -1, "state": 0, "createdAt": 1674550892634},
            {"id": 5, "custom_name": "", "mood_group_id": 5, "mood_group_order": 0,
             "icon_id": 5, "predefined_name_id": 5, "state": 0, "createdAt": 1674550757631},
        ],
        "tags": [
            {"id": 1, "name": "work", "createdAt": 1, "icon": 41, "order": 1, "state": 0,
             "id_tag_group": 1},
            {"id": 2, "name": "movies / tv", "createdAt": 2, "icon": 94, "order": 2,
             "state": 0, "id_tag_group": 1},
            {"id": 3, "name": "bad sleep", "createdAt": 3, "icon": 53, "order": 3,
             "state": 0, "id_tag_group": 2},
            {"id": 4, "name": "dormir tôt", "createdAt": 4, "icon": 355, "order": 4,
             "state": 0, "id_tag_group": 2},
        ],
        "tag_groups": [{"id": 1, "name": "Hobbies", "is_expanded": True, "order": 1}],
        "dayEntries": [
            # 23:30 UTC with +02:00 is 01:30 the next local day; the month field is 0-based.
            {"id": 4, "minute": 30, "hour": 1, "day": 25, "month": 0, "year": 2023,
             "datetime": 1674603000000, "timeZoneOffset": 2 * HOUR_MS, "mood": 8,
             "note": "Felt far away.<br>Tea helped &amp; a walk.", "note_title": "Night",
             "tags": [1, 3], "assets": []},
            # The month field disagrees with datetime: datetime wins.
            {"id": 1, "minute": 59, "hour": 9, "day": 24, "month": 6, "year": 2023,
             "datetime": 1674550757766, "timeZoneOffset": HOUR_MS, "mood": 1,
             "note": "<div><b>Good</b> morning</div><div>see https://example.org/a</div>"
             "<ul><li>one</li><li>two</li></ul>",
             "note_title": "", "tags": [2, 4], "assets": [1], "isFavorite": True},
            # Five hours behind UTC.
            {"id": 2, "minute": 0, "hour": 20, "day": 4, "month": 0, "year": 2023,
             "datetime": 1672880400000, "timeZoneOffset": -5 * HOUR_MS, "mood": 3,
             "note": "", "note_title": "", "tags": [], "assets": []},
            # A custom mood of the best group, an old entry.
            {"id": 3, "minute": 0, "hour": 20, "day": 16, "month": 4, "year": 2015,
             "datetime": 1431799200000, "timeZoneOffset": 2 * HOUR_MS, "mood": 6,
             "note": "<ol><li>first</li><li>second</li></ol>", "note_title": "",
             "tags": [], "assets": []},
        ],
        "goals": [],
        "prefs": [{"key": "PRESELECTED_LANG", "pref_name": "default", "value": "en"}],
        "metadata": {"number_of_entries": 4, "created_at": 1674556623548,
                     "is_auto_backup": False, "platform": "android", "android_version": 15,
                     "number_of_photos": 1, "photos_size": 10},
        "assets": [{"id": 1, "checksum": "abc", "type": 1, "createdAt": 1674550757766}],
        "goalEntries": [],
    }  # fmt: skip


def encode(data: Any, *, newline: str = "\n", android: bool = True) -> bytes:
    text = json.dumps(data, ensure_ascii=False)
    if android:
        text = text.replace("/", "\\/")
    b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return newline.join(b64[i : i + 76] for i in range(0, len(b64), 76)).encode("ascii")


def pack(member: bytes, *, assets: bool = True, name: str = "backup.daylio") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, member)
        if assets:
            z.writestr("assets/photos/2023/1/abc", b"\xff\xd8\xff not really a photo")
    return buf.getvalue()


def android() -> bytes:
    return pack(encode(backup()))


def ios() -> bytes:
    data = backup()
    data["version"] = 18
    data["metadata"] = {"platform": "ios", "number_of_entries": 4}
    for e in data["dayEntries"]:
        if not e["note"]:
            del e["note"], e["note_title"]  # newer files omit empty notes
    return pack(encode(data, newline="\r\n", android=False), assets=False)
