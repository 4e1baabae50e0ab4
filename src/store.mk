# Core files of the store area.
libfdcore_a_SOURCES += src/store.c src/store.h src/store_internal.h src/store_schema.c src/store_write.c src/store_read.c src/store_lookup.c src/store_query.c src/views.h src/views.c
libfdcore_a_SOURCES += src/cmd_read.c src/cmd_read.h src/cmd_list.c src/cmd_show.c
libfdcore_a_SOURCES += src/cmd_search.c
