# Sourced by led-poll.sh and led-ab.sh. led_seed PORT ADMIN_TOKEN LUA_FILE: on the server at PORT,
# enrols and approves one screen, gives it a group and four items, checks that its current ETag
# gets a 304, and writes LUA_FILE, a wrk script polling that screen on the 304 path (real device
# auth, If-None-Match).
led_seed() {
  local port=$1 token=$2 lua=$3 sid gid secret etag code t
  local base="http://127.0.0.1:$port"
  _api() { curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
  _json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
  sid=$(curl -fsS -H 'Content-Type: application/json' \
    -d '{"hardware_key":"bench-0001","name":"bench","width":192,"height":32,"colour_mode":"dual"}' \
    "$base/led/v1/enroll" | _json "['screen_id']")
  gid=$(_api -d '{"name":"bench group","kind":"township"}' "$base/api/v1/led/groups" | _json "['id']")
  _api -X PATCH -d "{\"groups\":[$gid]}" "$base/api/v1/led/screens/$sid" >/dev/null
  secret=$(_api -X POST "$base/api/v1/led/screens/$sid/approve" | _json "['secret']")
  for t in 廉洁自律从我做起 清风正气廉洁奉公 严守纪律规矩 为政清廉; do
    _api -d "{\"text\":\"$t\",\"category\":\"aphorism\",\"target_groups\":[$gid]}" "$base/api/v1/led/items" >/dev/null
  done
  etag=$(curl -fsS -D - -o /dev/null -H "Authorization: Bearer $sid.$secret" "$base/led/v1/playlist" \
    | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $sid.$secret" -H "If-None-Match: $etag" \
    "$base/led/v1/playlist")
  [ "$code" = 304 ] || { echo "expected 304, got $code" >&2; return 1; }
  printf 'wrk.headers["Authorization"] = "Bearer %s.%s"\nwrk.headers["If-None-Match"] = %s\n' \
    "$sid" "$secret" "'$etag'" >"$lua"
}
