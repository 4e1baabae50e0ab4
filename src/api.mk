# Core files of the api area: config, errors, HTTP transport, rate limits,
# JSON decoding and the Freshdesk endpoints.
libfdcore_a_SOURCES += src/config.h src/error.h src/http.h src/ratelimit.h src/decode.h src/api.h
