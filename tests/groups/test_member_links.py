"""A member follows every link the group's pages show them: none answers 403."""

import re
from urllib.parse import urldefrag, urlsplit


def test_a_member_is_shown_no_link_to_a_page_they_may_not_open(world, client_as, group_a):
    client = client_as("member")
    prefix = f"/g/{group_a.slug}/"
    todo, seen, refused = [prefix], set(), []
    while todo and len(seen) < 80:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code == 403:
            refused.append(url)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="([^"]+)"', response.content.decode()):
            path = urldefrag(href)[0]
            path = urlsplit(path).path if path.startswith("http") else path
            if path.startswith(prefix) and path not in seen:
                todo.append(path)
    assert len(seen) > 5
    assert refused == [], refused
