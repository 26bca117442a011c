"""The once-a-day nudge for the shell prompt, written so the prompt never starts Python.

The store keeps the date of the newest check-in in `last-day`. The snippet compares it with
today's date in the shell itself, shows one quiet line at most once a day (remembering that
in `nudge-shown`), and stays silent while `nudge-off` exists. `numbtrack nudge` writes those
files; nothing else is read at the prompt. On the day's one write the snippet makes
`nudge-shown` anew: it removes the name, then creates the file exclusively with umask 077
(a subshell with noclobber in bash and zsh, `>?` in fish), so the marker is 0600 and a
symlink planted under its name is never written through.
"""

from __future__ import annotations

from pathlib import Path

from numbtrack.errors import InvalidInput

SHELLS = ("bash", "zsh", "fish")
MESSAGE = "numbtrack: a moment to notice? numbtrack log"
OFF_FILE = "nudge-off"
SHOWN_FILE = "nudge-shown"


def set_nudge(folder: Path, action: str) -> str:
    """Turn the prompt line off or on (kept in the settings and mirrored in `nudge-off` for
    the shell), or quiet it for the rest of today. Returns a sentence saying what changed."""
    from dataclasses import replace
    from datetime import date

    from numbtrack import config, paths

    action = action.strip().lower()
    if action not in ("on", "off", "quiet", "status"):
        raise InvalidInput(f'"{action}" is not a nudge setting; use off, on, quiet or status.')
    if action == "status":
        return nudge_status(folder)
    paths.ensure_private_dir(folder)
    if action == "quiet":
        with paths.atomic_write(folder / SHOWN_FILE, force=True) as fh:
            fh.write(date.today().isoformat() + "\n")
        return "Quiet for the rest of today."
    config.save(replace(config.load(), nudge=action == "on"))
    if action == "off":
        with paths.atomic_write(folder / OFF_FILE, force=True) as fh:
            fh.write("The prompt nudge is off: numbtrack nudge on\n")
        return "The prompt nudge is off. Turn it on again with: numbtrack nudge on"
    (folder / OFF_FILE).unlink(missing_ok=True)
    return "The prompt nudge is on (at most one line a day)."


def nudge_status(folder: Path) -> str:
    """What the prompt line does now, in one or two sentences."""
    from datetime import date

    from numbtrack import config

    if (folder / OFF_FILE).exists() or not config.load().nudge:
        return "The prompt nudge is off. Turn it on with: numbtrack nudge on"
    try:
        shown = (folder / SHOWN_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        shown = ""
    today = (
        "it is quiet for the rest of today"
        if shown == date.today().isoformat()
        else ("it shows at most one line a day, when nothing is logged yet")
    )
    return (
        f"The prompt nudge is on: {today}. It appears only in a shell set up with "
        "numbtrack shell-init."
    )


def _q(path: Path) -> str:
    """Quote a path for a POSIX shell or fish."""
    return "'" + str(path).replace("'", "'\\''") + "'"


def snippet(shell: str, folder: Path) -> str:
    d = _q(folder)
    if shell == "bash":
        return f"""# numbtrack shell-init bash: one quiet line a day when nothing is logged yet
__numbtrack_nudge() {{
  local d={d} today last shown
  [ -e "$d/{OFF_FILE}" ] && return
  printf -v today '%(%Y-%m-%d)T' -1
  [ -r "$d/last-day" ] && read -r last < "$d/last-day"
  [ "$last" = "$today" ] && return
  [ -r "$d/{SHOWN_FILE}" ] && read -r shown < "$d/{SHOWN_FILE}"
  [ "$shown" = "$today" ] && return
  printf '%s\\n' '{MESSAGE}'
  (
    umask 077; set -C  # made 0600, never written through what is planted under its name
    command rm -f -- "$d/{SHOWN_FILE}"
    printf '%s\\n' "$today" > "$d/{SHOWN_FILE}"
  ) 2>/dev/null
}}
case ";$PROMPT_COMMAND;" in
  *";__numbtrack_nudge;"*) ;;
  *) PROMPT_COMMAND="__numbtrack_nudge${{PROMPT_COMMAND:+;$PROMPT_COMMAND}}" ;;
esac
"""
    if shell == "zsh":
        return f"""# numbtrack shell-init zsh: one quiet line a day when nothing is logged yet
__numbtrack_nudge() {{
  local d={d} today last shown
  [[ -e "$d/{OFF_FILE}" ]] && return
  today=${{(%):-%D{{%Y-%m-%d}}}}
  [[ -r "$d/last-day" ]] && read -r last < "$d/last-day"
  [[ "$last" == "$today" ]] && return
  [[ -r "$d/{SHOWN_FILE}" ]] && read -r shown < "$d/{SHOWN_FILE}"
  [[ "$shown" == "$today" ]] && return
  print -r -- '{MESSAGE}'
  (
    umask 077; setopt noclobber  # made 0600, never written through what is planted there
    command rm -f -- "$d/{SHOWN_FILE}"
    print -r -- "$today" > "$d/{SHOWN_FILE}"
  ) 2>/dev/null
}}
autoload -Uz add-zsh-hook
add-zsh-hook precmd __numbtrack_nudge
"""
    if shell == "fish":
        return f"""# numbtrack shell-init fish: one quiet line a day when nothing is logged yet
function __numbtrack_nudge --on-event fish_prompt
    set -l d {d}
    test -e "$d/{OFF_FILE}"; and return
    set -l today (date +%Y-%m-%d)
    test -r "$d/last-day"; and test (string trim < "$d/last-day") = "$today"; and return
    test -r "$d/{SHOWN_FILE}"; and test (string trim < "$d/{SHOWN_FILE}") = "$today"; and return
    echo '{MESSAGE}'
    set -l mask (umask)
    umask 077  # made 0600; >? never writes through what is planted under its name
    begin
        command rm -f -- "$d/{SHOWN_FILE}"
        echo "$today" >? "$d/{SHOWN_FILE}"
    end 2>/dev/null
    umask $mask
end
"""
    raise InvalidInput(f'"{shell}" is not a shell numbtrack knows; use bash, zsh or fish.')
