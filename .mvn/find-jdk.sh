# Finds a JDK 21+ and exports JAVA_HOME to it. Sourced by ./kairos and ./mvnw (POSIX sh).
# Order: $JAVA_HOME, then `java` on PATH, then the newest under /usr/lib/jvm (and macOS/SDKMAN homes).

kairos_java_major() {
  # prints the feature version of the java binary given as $1 (e.g. 17, 21, 25), or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

kairos_find_jdk() {
  kairos_tried=""
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(kairos_java_major "$JAVA_HOME/bin/java")
    [ -n "$v" ] && [ "$v" -ge 21 ] && [ -x "$JAVA_HOME/bin/javac" ] && return 0
    kairos_tried="$kairos_tried\n  JAVA_HOME=$JAVA_HOME (Java ${v:-?})"
  fi
  if command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then
    j=$(command -v java)
    # resolve symlinks (/usr/bin/java -> /etc/alternatives/java -> .../bin/java)
    r=$(readlink -f "$j" 2>/dev/null || echo "$j")
    v=$(kairos_java_major "$r")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      JAVA_HOME=$(dirname "$(dirname "$r")"); export JAVA_HOME; return 0
    fi
    kairos_tried="$kairos_tried\n  java on PATH: $r (Java ${v:-?})"
  fi
  best=""; bestv=0
  # globbing may be off (mvnw runs with set -f); turn it on for the scan only
  case $- in *f*) kairos_noglob=1; set +f ;; *) kairos_noglob=0 ;; esac
  for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* /opt/java/* /opt/jdk*; do
    [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ] || continue
    v=$(kairos_java_major "$d/bin/java")
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
    [ "$v" -ge 21 ] || kairos_tried="$kairos_tried\n  $d (Java $v)"
  done
  [ "$kairos_noglob" = 1 ] && set -f
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  printf 'kairos: no JDK 21 or newer found (a JDK, with javac, is needed to build and run Kairos).\n' >&2
  [ -n "$kairos_tried" ] && printf "Looked at:$kairos_tried\n" >&2
  printf 'Install one (e.g. `apt-get install openjdk-21-jdk`, or Temurin 21+) and/or set JAVA_HOME to it.\n' >&2
  return 1
}
