"""The hypermedia URLs GitHub puts in every user and repository object, derived from names.

GitHub's OpenAPI description requires them (``simple-user`` has nine ``*_url`` fields beyond
``url``, ``minimal-repository`` thirty-seven), and clients generated from it reject objects
without them. They are computed from the login or the full name each time an object is built
(never stored with the data), in GitHub's own RFC 6570 template forms, on the canonical base
that the model swaps for the server's own.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

# Every absolute URL is written against this base; the model swaps in the server's own base URL
# when it serializes, so ETags do not depend on the port a server happens to get.
CANONICAL_BASE = "http://mockgithub.invalid"

# field -> path under /users/{login} (GitHub's templates included).
_USER = (
    ("followers_url", "followers"),
    ("following_url", "following{/other_user}"),
    ("gists_url", "gists{/gist_id}"),
    ("starred_url", "starred{/owner}{/repo}"),
    ("subscriptions_url", "subscriptions"),
    ("organizations_url", "orgs"),
    ("repos_url", "repos"),
    ("events_url", "events{/privacy}"),
    ("received_events_url", "received_events"),
)
# field -> path under /repos/{owner}/{repo} (GitHub's templates included).
_REPOSITORY = (
    ("forks_url", "forks"),
    ("keys_url", "keys{/key_id}"),
    ("collaborators_url", "collaborators{/collaborator}"),
    ("teams_url", "teams"),
    ("hooks_url", "hooks"),
    ("issue_events_url", "issues/events{/number}"),
    ("events_url", "events"),
    ("assignees_url", "assignees{/user}"),
    ("branches_url", "branches{/branch}"),
    ("tags_url", "tags"),
    ("blobs_url", "git/blobs{/sha}"),
    ("git_tags_url", "git/tags{/sha}"),
    ("git_refs_url", "git/refs{/sha}"),
    ("trees_url", "git/trees{/sha}"),
    ("statuses_url", "statuses/{sha}"),
    ("languages_url", "languages"),
    ("stargazers_url", "stargazers"),
    ("contributors_url", "contributors"),
    ("subscribers_url", "subscribers"),
    ("subscription_url", "subscription"),
    ("commits_url", "commits{/sha}"),
    ("git_commits_url", "git/commits{/sha}"),
    ("comments_url", "comments{/number}"),
    ("issue_comment_url", "issues/comments{/number}"),
    ("contents_url", "contents/{+path}"),
    ("compare_url", "compare/{base}...{head}"),
    ("merges_url", "merges"),
    ("archive_url", "{archive_format}{/ref}"),
    ("downloads_url", "downloads"),
    ("issues_url", "issues{/number}"),
    ("pulls_url", "pulls{/number}"),
    ("milestones_url", "milestones{/number}"),
    ("notifications_url", "notifications{?since,all,participating}"),
    ("labels_url", "labels{/name}"),
    ("releases_url", "releases{/id}"),
    ("deployments_url", "deployments"),
)


@lru_cache(maxsize=256)
def user_urls(login: str) -> tuple[tuple[str, str], ...]:
    """``(field, url)`` pairs of a user's links: ``url``, ``html_url`` and the hypermedia ones.

    As on GitHub, a bot's login is percent-encoded in URLs (``dependabot%5Bbot%5D``: brackets are
    not allowed in a URI path) and its page is its app's (``/apps/dependabot``).
    """
    api = f"{CANONICAL_BASE}/users/{quote(login, safe='')}"
    bot = login.endswith("[bot]")
    html = (
        f"{CANONICAL_BASE}/apps/{login.removesuffix('[bot]')}"
        if bot
        else f"{CANONICAL_BASE}/{login}"
    )
    return (("url", api), ("html_url", html), *((name, f"{api}/{path}") for name, path in _USER))


@lru_cache(maxsize=64)
def repository_urls(full_name: str) -> tuple[tuple[str, str], ...]:
    """``(field, url)`` pairs of a repository's hypermedia links."""
    api = f"{CANONICAL_BASE}/repos/{full_name}"
    return tuple((name, f"{api}/{path}") for name, path in _REPOSITORY)
