# embed.awk - the built-in suites bench/suites/NAME.ini as C strings (the Makefile:
# `awk -f bench/suites/embed.awk bench/suites/*.ini > $(BUILD)/bench/suites.c`): one
# `static const char NAME_text[]` per file, each line a string ending in \n, and the
# table ob_suite_embedded_texts (bench/suite_file.h) of names and texts, in the files'
# order.  POSIX awk (mawk, gawk, busybox); '\', '"' and '?' (trigraphs) are escaped.
function escape(s,    out, c, i) {
    out = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\" || c == "\"" || c == "?") out = out "\\" c
        else if (c == "\t") out = out "\\t"
        else if (c == "\r") out = out "\\r"
        else out = out c
    }
    return out
}
BEGIN {
    print "/* generated from bench/suites/NAME.ini by bench/suites/embed.awk: do not edit */"
    print "#include <stddef.h>"
    print ""
    print "#include \"bench/suite_file.h\""
}
FNR == 1 {
    if (n) print ";"
    name = FILENAME
    sub(/.*\//, "", name)
    sub(/\.ini$/, "", name)
    id = name
    gsub(/[^A-Za-z0-9_]/, "_", id)
    names[++n] = name
    ids[n] = id
    printf "\nstatic const char %s_text[] =\n    \"\"", id
}
{ printf "\n    \"%s\\n\"", escape($0) }
END {
    if (n) print ";"
    print ""
    print "const ob_suite_embedded ob_suite_embedded_texts[] = {"
    for (i = 1; i <= n; i++) printf "    {\"%s\", %s_text},\n", escape(names[i]), ids[i]
    print "    {NULL, NULL},"
    print "};"
}
