# Core files of the api area: config, errors, HTTP transport, rate limits,
# JSON decoding and the Freshdesk endpoints.
libfdcore_a_SOURCES += src/config.h src/error.h src/http.h src/ratelimit.h src/decode.h src/api.h
libfdcore_a_SOURCES += src/error.c src/ratelimit.c src/decode.c src/config.c src/http.c \
	src/api.c src/api_write.c src/api_internal.h
