#!/usr/bin/env python3
"""Build step: turns a program's --help (its option tables) into its man page and its bash and zsh
completions, so all three say what --help says. Usage:
help_to_man.py --binary B --name N --section S --summary TEXT --version V --man OUT
               [--sub SUBCOMMAND ...] [--bash OUT] [--zsh OUT]"""
import argparse
import os
import re
import subprocess
import sys

ITEM = re.compile(r"^ {1,4}(\S.*?)(?: {2,}(\S.*))?$")
MORE = re.compile(r"^ {5,}(\S.*)$")
WORD = re.compile(r"^[a-z][a-z-]*$")


def run_help(binary, args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8")
    out = subprocess.run([binary, *args, "--help"], capture_output=True, text=True, env=env, timeout=60)
    if out.returncode != 0:
        sys.exit(f"help_to_man: '{binary} {' '.join(args)} --help' failed ({out.returncode}): {out.stderr}")
    return out.stdout


def parse(text):
    """Blocks of the help: ("usage", [lines]), ("heading", text), ("item", term, desc), ("text", text)."""
    blocks = []
    in_usage = False
    for line in text.splitlines():
        if not line.strip():
            in_usage = False
            continue
        if line.startswith("Usage:"):
            in_usage = True
            blocks.append(["usage", [line[len("Usage:"):].strip()]])
            continue
        if in_usage and line.startswith(" "):
            blocks[-1][1].append(line.strip())
            continue
        in_usage = False
        more = MORE.match(line)
        if more and blocks and blocks[-1][0] == "item":
            blocks[-1][2] = (blocks[-1][2] + " " + more.group(1)).strip()
            continue
        item = ITEM.match(line)
        if item:
            blocks.append(["item", item.group(1), item.group(2) or ""])
        elif line.rstrip().endswith(":") and not line.startswith(" "):
            blocks.append(["heading", line.strip()[:-1]])
        else:
            blocks.append(["text", line.strip()])
    return blocks


def roff(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return ("\\&" + text) if text[:1] in (".", "'") else text


def man_page(args, sections):
    out = [f'.TH {args.name.upper()} {args.section} "" "Natter {args.version}" "Natter"',
           ".SH NAME", f"{args.name} \\- {roff(args.summary)}"]
    for title, blocks in sections:
        usage = [b for b in blocks if b[0] == "usage"]
        out.append(".SH " + ("SYNOPSIS" if title is None else roff(title.upper())))
        for b in usage:
            for line in b[1]:
                out += [".br", roff(line)]
        first = True
        for b in blocks:
            if b[0] == "usage":
                continue
            if title is None and first:
                out.append(".SH DESCRIPTION")
                first = False
            if b[0] == "heading":
                out += [".SS " + roff(b[1])]
            elif b[0] == "item":
                out += [".TP", "\\fB" + roff(b[1]) + "\\fR", roff(b[2]) if b[2] else ".br"]
            else:
                out += [".PP", roff(b[1])]
    out += [".SH SEE ALSO", "The Natter documentation in /usr/share/doc/natterd, /usr/share/doc/natter and "
            "/usr/share/doc/natter\\-desktop."]
    return "\n".join(out) + "\n"


def words(blocks, name, sub=None):
    """Options (and which take a file), commands and each command's literal second words, as --help names them."""
    options, file_options, arg_options, commands, seconds = [], [], [], [], {}
    heading = ""
    for b in blocks:
        if b[0] == "heading":
            heading = b[1].lower()
        if b[0] == "item":
            tokens = [t for t in re.split(r"[ ,\[\]]+", b[1]) if t]
            for i, token in enumerate(tokens):
                if re.match(r"^--?[A-Za-z]", token) and token not in options:
                    options.append(token)
                    arg = tokens[i + 1] if i + 1 < len(tokens) else ""
                    if re.match(r"^(arg|<.*>|[A-Z][A-Z_]*)$", arg):
                        arg_options.append(token)
                    if re.search(r"FILE|DIR|PATH", arg) or (arg == "arg" and re.search(r"\b(file|directory)\b", b[2])):
                        file_options.append(token)
            first = tokens[0] if tokens else ""
            if "command" in heading and WORD.match(first):
                if first not in commands:
                    commands.append(first)
                rest = tokens[1:2]
                for w in (rest[0].split("|") if rest else []):
                    if WORD.match(w) and w not in seconds.setdefault(first, []):
                        seconds[first].append(w)
        if b[0] == "usage" and sub:
            for line in b[1]:
                tokens = line.split()
                if tokens[:2] == [name, sub]:
                    for w in tokens[2:]:
                        for part in w.split("|"):
                            if WORD.match(part) and part not in seconds.setdefault(sub, []):
                                seconds[sub].append(part)
    return options, file_options, arg_options, commands, seconds


def completions(args, main_blocks, subs):
    options, file_options, arg_options, commands, seconds = words(main_blocks, args.name)
    sub_options = {}
    for sub, blocks in subs:
        opts, files, with_arg, _, sec = words(blocks, args.name, sub)
        commands.append(sub)
        sub_options[sub] = opts
        file_options += [f for f in files if f not in file_options]
        arg_options += [a for a in with_arg if a not in arg_options]
        seconds.update(sec)
    fn = "_" + args.name.replace("-", "_")
    bash = [f"# bash completion for {args.name}, generated from '{args.name} --help' at build time",
            f"{fn}() {{", '    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command= second= i',
            '    COMPREPLY=()',
            '    case $prev in',
            '        ' + "|".join(file_options or ["--file"]) + ') COMPREPLY=($(compgen -f -- "$cur")); return ;;',
            '    esac',
            '    [[ " ' + " ".join(arg_options) + ' " == *" $prev "* ]] && return',
            '    for ((i = 1; i < COMP_CWORD; i++)); do',
            '        [[ " ' + " ".join(arg_options) + ' " == *" ${COMP_WORDS[i-1]} "* ]] && continue',
            '        case ${COMP_WORDS[i]} in -*) ;; *) if [[ -z $command ]]; then command=${COMP_WORDS[i]}; '
            'elif [[ -z $second ]]; then second=${COMP_WORDS[i]}; fi ;; esac',
            '    done',
            '    local options="' + " ".join(options) + '"',
            '    case $command in']
    for sub, opts in sub_options.items():
        bash.append(f'        {sub}) options="{" ".join(opts)}" ;;')
    bash += ['    esac',
             '    if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$options" -- "$cur")); return; fi',
             '    if [[ -z $command ]]; then COMPREPLY=($(compgen -W "' + " ".join(commands) + '" -- "$cur")); return; fi',
             '    case $command in']
    for command, second in seconds.items():
        bash.append(f'        {command}) [[ -z $second ]] && COMPREPLY=($(compgen -W "{" ".join(second)}" -- "$cur")) ;;')
    bash += ['    esac', '}', f"complete -o default -F {fn} {args.name}", ""]

    zsh = [f"#compdef {args.name}", f"# zsh completion for {args.name}, generated from '{args.name} --help' at build time",
           "local -a options commands argopts",
           "options=(" + " ".join(f"'{o}'" for o in options) + ")",
           "commands=(" + " ".join(f"'{c}'" for c in commands) + ")",
           "argopts=(" + " ".join(f"'{o}'" for o in arg_options) + ")",
           "local command",
           "local -i i position=0",
           "for (( i = 2; i < CURRENT; i++ )); do",
           "    (( ${argopts[(Ie)${words[i-1]}]} )) && continue",
           "    [[ ${words[i]} == -* ]] && continue",
           "    [[ -z $command ]] && { command=${words[i]}; position=i; }",
           "done",
           "(( ${argopts[(Ie)${words[CURRENT-1]}]} )) && { _files; return; }",
           "case $command in"]
    for sub, opts in sub_options.items():
        zsh.append(f"    {sub}) options=(" + " ".join(f"'{o}'" for o in opts) + ") ;;")
    zsh += ["esac",
            "if [[ $PREFIX == -* ]]; then compadd -a options; return; fi",
            "if [[ -z $command ]]; then compadd -a commands; return; fi",
            "case $command in"]
    for command, second in seconds.items():
        zsh.append(f"    {command}) (( CURRENT == position + 1 )) && {{ compadd {' '.join(second)}; return; }} ;;")
    zsh += ["esac", "_files", ""]
    return "\n".join(bash), "\n".join(zsh)


def main():
    p = argparse.ArgumentParser()
    for flag in ("--binary", "--name", "--section", "--summary", "--version", "--man"):
        p.add_argument(flag, required=True)
    p.add_argument("--sub", action="append", default=[])
    p.add_argument("--bash")
    p.add_argument("--zsh")
    args = p.parse_args()
    # Qt's --help names the program by the path it was started from: the build directory's.
    def help_of(sub_args):
        return run_help(args.binary, sub_args).replace(args.binary, args.name)
    main_blocks = parse(help_of([]))
    subs = [(sub, parse(help_of([sub]))) for sub in args.sub]
    sections = [(None, main_blocks)] + [(f"{args.name} {sub}", blocks) for sub, blocks in subs]
    with open(args.man, "w", encoding="utf-8") as f:
        f.write(man_page(args, sections))
    if args.bash or args.zsh:
        bash, zsh = completions(args, main_blocks, subs)
        if args.bash:
            with open(args.bash, "w", encoding="utf-8") as f:
                f.write(bash)
        if args.zsh:
            with open(args.zsh, "w", encoding="utf-8") as f:
                f.write(zsh)


if __name__ == "__main__":
    main()
