/*
 * slashes.c - trailing slashes and "." / ".." as last components, where
 * POSIX is picky: "file/" is not a file, "link-to-dir/" is the directory
 * (not the link), "new/" cannot be created as a file, rmdir of "." fails.
 */
#include "common.h"
#include <fcntl.h>
#include <unistd.h>

static void mk(const char *p) {
  FILE *f = fopen(p, "w");
  if (f) {
    fputs(p, f);
    fclose(f);
  }
}

int main(void) {
  mkdir("d", 0755);
  mkdir("d/inner", 0755);
  mk("f");
  mk("g");
  symlink("d", "dl");
  symlink("f", "fl");
  symlink("d/inner", "il");
  TRY("open f/", open("f/", O_RDONLY));
  TRY("open fl/", open("fl/", O_RDONLY));
  TRY("open d/", open("d/", O_RDONLY));
  TRY("open dl/", open("dl/", O_RDONLY));
  TRY("open new/ O_CREAT", open("new/", O_CREAT | O_WRONLY, 0644));
  TRY("open new2/ O_CREAT|O_EXCL",
      open("new2/", O_CREAT | O_EXCL | O_WRONLY, 0644));
  TRY("open f/ O_CREAT", open("f/", O_CREAT | O_WRONLY, 0644));
  TRY("open d/. O_RDONLY", open("d/.", O_RDONLY));
  TRY("open d/.. O_RDONLY", open("d/..", O_RDONLY));
  TRY("stat f/", stat("f/", &(struct stat){0}));
  TRY("stat dl/", stat("dl/", &(struct stat){0}));
  struct stat st;
  lstat("dl/", &st);
  printf("lstat dl/: %s\n", type_name(st.st_mode));
  TRY("lstat fl/", lstat("fl/", &st));
  TRY("unlink f/", unlink("f/"));
  TRY("unlink fl/", unlink("fl/"));
  TRY("unlink dl/", unlink("dl/"));
  TRY("rmdir il/", rmdir("il/"));
  TRY("rmdir il", rmdir("il"));
  TRY("rmdir d/inner/.", rmdir("d/inner/."));
  TRY("rmdir d/inner/..", rmdir("d/inner/.."));
  TRY("rmdir .", rmdir("."));
  TRY("rename f g/", rename("f", "g/"));
  TRY("rename f/ h", rename("f/", "h"));
  TRY("rename f newname/", rename("f", "newname/"));
  TRY("rename d/inner d/moved/", rename("d/inner", "d/moved/"));
  TRY("rename dl/ dl2", rename("dl/", "dl2"));
  TRY("mkdir f/", mkdir("f/", 0755));
  TRY("mkdir fl/", mkdir("fl/", 0755));
  TRY("mkdir dl/", mkdir("dl/", 0755));
  TRY("mkdir newd//", mkdir("newd//", 0755));
  TRY("symlink f sl/", symlink("f", "sl/"));
  TRY("link f hl/", link("f", "hl/"));
  TRY("link f/ hl", link("f/", "hl"));
  list_dir(".");
  list_dir("d");
  return 0;
}
