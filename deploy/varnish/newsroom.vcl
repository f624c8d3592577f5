vcl 4.1;
# Varnish in front of Newsroom's gunicorn (`make serve-proxy`; tests/newsroom/test_http_cache.py).
#
# - Keeps what the app lets shared caches keep (Cache-Control s-maxage, never past the next
#   scheduled publication), serves it stale while it fetches it again only when the app says
#   stale-while-revalidate, and drops pages by surrogate key when the app purges
#   (PURGE with an `xkey-purge: article-12 articles all` header; vmod xkey from
#   Debian's varnish-modules; newsroom/caching.py sends them on every public change).
# - Never caches for a logged-in user (a session cookie) or a waiting message: those pass.
# - Keeps the language choice apart: the hash has the language cookie and Accept-Language.
#
# The backend's port is 8000; the scripts that start Varnish write a copy with theirs.

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.x-purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.x-purged));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview|i18n)/" || req.http.Authorization) {
        return (pass);
    }
    # A session (a logged-in editor) or a message waiting to be shown makes a page personal.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Of the other cookies only the reader's language matters to a public page.
    if (req.http.Cookie ~ "(^|;\s*)django_language=") {
        set req.http.x-language = regsub(req.http.Cookie, "^(.*;\s*)?django_language=([^;]*).*$", "\2");
        set req.http.Cookie = "django_language=" + req.http.x-language;
    } else {
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    # The language Django will choose comes from the cookie, else from Accept-Language.
    if (req.http.x-language) {
        hash_data("lang=" + req.http.x-language);
    } elsif (req.http.Accept-Language) {
        hash_data("accept=" + req.http.Accept-Language);
    }
    return (lookup);
}

sub vcl_backend_response {
    # Only what the app marked for shared caches (and the hashed static files) is kept.
    if (beresp.http.Set-Cookie
        || (beresp.http.Cache-Control !~ "s-maxage" && bereq.url !~ "^/static/")
        || beresp.http.Cache-Control ~ "private|no-store|no-cache") {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # No stale-while-revalidate: a scheduled publication is due, so nothing stale may be served.
    if (beresp.http.Cache-Control !~ "stale-while-revalidate") {
        set beresp.grace = 0s;
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Surrogate keys are for this cache only.
    unset resp.http.xkey;
}
