/* empty.c: placeholder so the library is never empty. */
typedef int fd_sim_placeholder;
