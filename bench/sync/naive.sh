#!/bin/sh
# naive.sh: the baseline from every Freshdesk tutorial: one curl request after
# another, per_page=30 with include=requester,company, until a short page.
# updated_since is given so it fetches the same range as `fdesk sync` (without
# it the API only returns tickets created in the last 30 days).
# Usage: naive.sh BASE_URL UPDATED_SINCE OUTDIR   (key in $FRESHDESK_API_KEY)
# Prints "requests N tickets M".
base=$1 since=$2 out=$3
page=1 total=0
while :; do
    # The key goes through a config on stdin, never argv.
    printf 'user = "%s:X"\n' "$FRESHDESK_API_KEY" |
        curl -s -K - -o "$out/page.json" \
            "$base/api/v2/tickets?per_page=30&include=requester,company&updated_since=$since&page=$page" ||
        exit 1
    # Count the tickets on the page: one "requester_id" key per ticket.
    n=$(grep -o '"requester_id"' "$out/page.json" | wc -l)
    total=$((total + n))
    [ "$n" -lt 30 ] && break
    page=$((page + 1))
done
echo "requests $page tickets $total"
