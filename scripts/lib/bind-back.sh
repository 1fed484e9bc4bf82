# Sourced by scripts/crowded-host.sh and test/pkexec/support/private-store.sh.
# bind_back FROM TO SKIP: every entry of directory FROM (the real tree, bound aside) made visible again
# in TO (a fresh tmpfs over the real place), except SKIP and what TO has already: directories by
# recursive bind (their submounts too), files by bind, symbolic links recreated as links.
bind_back() {
  for entry in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    name=${entry##*/}
    [ "$name" = "$3" ] && continue
    if [ -e "$2/$name" ] || [ -L "$2/$name" ]; then continue; fi
    if [ -L "$entry" ]; then
      ln -s "$(readlink "$entry")" "$2/$name"
    elif [ -d "$entry" ]; then
      mkdir "$2/$name"
      mount -n --rbind "$entry" "$2/$name"
    else
      : >"$2/$name"
      mount -n --bind "$entry" "$2/$name"
    fi
  done
}
