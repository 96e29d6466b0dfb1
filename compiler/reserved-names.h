/* reserved-names.h — functions of the C library and POSIX that a generated
 * symbol must not define (a stage named `read` would replace read(2) for
 * the whole program, GLib and the runtime included).
 *
 * RESERVED(name, "where it comes from")
 *
 * A curated list, not every name of every standard: the functions a
 * program is likely to name a stage after, and everything the runtime and
 * GLib call.  Names beginning g_, G_, df_, Df or DF_ are reserved by rule
 * (check-symbols.c) and are not listed.  Include after defining RESERVED.
 */

/* the program */
RESERVED(main, "the program's entry point")

/* stdlib.h */
RESERVED(malloc, "the C library") RESERVED(calloc, "the C library") RESERVED(realloc, "the C library")
RESERVED(free, "the C library") RESERVED(aligned_alloc, "the C library") RESERVED(abort, "the C library")
RESERVED(exit, "the C library") RESERVED(_exit, "POSIX") RESERVED(atexit, "the C library")
RESERVED(getenv, "the C library") RESERVED(setenv, "POSIX") RESERVED(unsetenv, "POSIX")
RESERVED(system, "the C library") RESERVED(qsort, "the C library") RESERVED(bsearch, "the C library")
RESERVED(abs, "the C library") RESERVED(labs, "the C library") RESERVED(div, "the C library")
RESERVED(atoi, "the C library") RESERVED(atol, "the C library") RESERVED(atof, "the C library")
RESERVED(strtol, "the C library") RESERVED(strtoul, "the C library") RESERVED(strtod, "the C library")
RESERVED(strtoll, "the C library") RESERVED(strtoull, "the C library") RESERVED(rand, "the C library")
RESERVED(srand, "the C library") RESERVED(random, "POSIX") RESERVED(mkstemp, "POSIX")

/* string.h */
RESERVED(memcpy, "the C library") RESERVED(memmove, "the C library") RESERVED(memset, "the C library")
RESERVED(memcmp, "the C library") RESERVED(memchr, "the C library") RESERVED(strlen, "the C library")
RESERVED(strcpy, "the C library") RESERVED(strncpy, "the C library") RESERVED(strcat, "the C library")
RESERVED(strcmp, "the C library") RESERVED(strncmp, "the C library") RESERVED(strchr, "the C library")
RESERVED(strrchr, "the C library") RESERVED(strstr, "the C library") RESERVED(strdup, "POSIX")
RESERVED(strndup, "POSIX") RESERVED(strerror, "the C library") RESERVED(strtok, "the C library")
RESERVED(strspn, "the C library") RESERVED(strcspn, "the C library") RESERVED(strcoll, "the C library")

/* stdio.h */
RESERVED(printf, "the C library") RESERVED(fprintf, "the C library") RESERVED(sprintf, "the C library")
RESERVED(snprintf, "the C library") RESERVED(vprintf, "the C library") RESERVED(vfprintf, "the C library")
RESERVED(puts, "the C library") RESERVED(fputs, "the C library") RESERVED(putchar, "the C library")
RESERVED(fopen, "the C library") RESERVED(fclose, "the C library") RESERVED(fread, "the C library")
RESERVED(fwrite, "the C library") RESERVED(fflush, "the C library") RESERVED(fgets, "the C library")
RESERVED(getline, "POSIX") RESERVED(getchar, "the C library") RESERVED(scanf, "the C library")
RESERVED(sscanf, "the C library") RESERVED(perror, "the C library") RESERVED(remove, "the C library")
RESERVED(rename, "the C library") RESERVED(tmpfile, "the C library") RESERVED(fileno, "POSIX")
RESERVED(fdopen, "POSIX") RESERVED(popen, "POSIX") RESERVED(pclose, "POSIX")

/* unistd.h, fcntl.h, poll.h, sys/stat.h */
RESERVED(read, "POSIX") RESERVED(write, "POSIX") RESERVED(open, "POSIX") RESERVED(close, "POSIX")
RESERVED(creat, "POSIX") RESERVED(lseek, "POSIX") RESERVED(pread, "POSIX") RESERVED(pwrite, "POSIX")
RESERVED(dup, "POSIX") RESERVED(dup2, "POSIX") RESERVED(pipe, "POSIX") RESERVED(fcntl, "POSIX")
RESERVED(ioctl, "POSIX") RESERVED(poll, "POSIX") RESERVED(select, "POSIX") RESERVED(fsync, "POSIX")
RESERVED(unlink, "POSIX") RESERVED(link, "POSIX") RESERVED(symlink, "POSIX") RESERVED(mkdir, "POSIX")
RESERVED(rmdir, "POSIX") RESERVED(chdir, "POSIX") RESERVED(getcwd, "POSIX") RESERVED(access, "POSIX")
RESERVED(stat, "POSIX") RESERVED(fstat, "POSIX") RESERVED(lstat, "POSIX") RESERVED(chmod, "POSIX")
RESERVED(chown, "POSIX") RESERVED(truncate, "POSIX") RESERVED(sleep, "POSIX") RESERVED(usleep, "POSIX")
RESERVED(nanosleep, "POSIX") RESERVED(fork, "POSIX") RESERVED(execv, "POSIX") RESERVED(execvp, "POSIX")
RESERVED(wait, "POSIX") RESERVED(waitpid, "POSIX") RESERVED(kill, "POSIX") RESERVED(getpid, "POSIX")
RESERVED(getppid, "POSIX") RESERVED(getuid, "POSIX") RESERVED(isatty, "POSIX") RESERVED(sysconf, "POSIX")
RESERVED(mmap, "POSIX") RESERVED(munmap, "POSIX") RESERVED(sync, "POSIX") RESERVED(alarm, "POSIX")
RESERVED(pause, "POSIX") RESERVED(exec, "a common shell and libc name")

/* sys/socket.h, netdb.h */
RESERVED(socket, "POSIX") RESERVED(bind, "POSIX") RESERVED(listen, "POSIX") RESERVED(accept, "POSIX")
RESERVED(connect, "POSIX") RESERVED(send, "POSIX") RESERVED(recv, "POSIX") RESERVED(sendto, "POSIX")
RESERVED(recvfrom, "POSIX") RESERVED(shutdown, "POSIX") RESERVED(getaddrinfo, "POSIX")
RESERVED(freeaddrinfo, "POSIX") RESERVED(setsockopt, "POSIX") RESERVED(getsockopt, "POSIX")

/* signal.h, time.h, errno, threads */
RESERVED(signal, "the C library") RESERVED(raise, "the C library") RESERVED(sigaction, "POSIX")
RESERVED(time, "the C library") RESERVED(clock, "the C library") RESERVED(difftime, "the C library")
RESERVED(mktime, "the C library") RESERVED(localtime, "the C library") RESERVED(gmtime, "the C library")
RESERVED(strftime, "the C library") RESERVED(clock_gettime, "POSIX") RESERVED(gettimeofday, "POSIX")
RESERVED(pthread_create, "POSIX") RESERVED(pthread_join, "POSIX") RESERVED(setlocale, "the C library")
RESERVED(setjmp, "the C library") RESERVED(longjmp, "the C library")

/* ctype.h, math.h */
RESERVED(isalpha, "the C library") RESERVED(isdigit, "the C library") RESERVED(isspace, "the C library")
RESERVED(isupper, "the C library") RESERVED(islower, "the C library") RESERVED(toupper, "the C library")
RESERVED(tolower, "the C library") RESERVED(sqrt, "the C library") RESERVED(pow, "the C library")
RESERVED(exp, "the C library") RESERVED(log, "the C library") RESERVED(floor, "the C library")
RESERVED(ceil, "the C library") RESERVED(round, "the C library") RESERVED(fabs, "the C library")
RESERVED(sin, "the C library") RESERVED(cos, "the C library") RESERVED(fmod, "the C library")

#undef RESERVED
