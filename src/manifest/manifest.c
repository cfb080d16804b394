/*
 * manifest.c - Component.toml: turns the TOML tree (toml.c) into an
 * aw_manifest, checking every section, key, type and range.  Unknown
 * sections and keys are rejected, not ignored, so a typo never silently
 * drops a limit.  Every error names the file, the line and the field.
 */
#include "airssys/manifest.h"
#include "manifest/toml.h"
#include "util/util.h"
#include <errno.h>
#include <stdio.h>

typedef struct mctx {
  const char *file;
  aw_error *err;
} mctx;

static bool mfail(mctx *c, uint32_t line, const char *field, const char *fmt,
                  ...) AW_PRINTF(4, 5);
static bool mfail(mctx *c, uint32_t line, const char *field, const char *fmt,
                  ...) {
  char why[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  if (line)
    aw_fail(c->err, AW_ERR_INVALID_CONFIG, UINT64_MAX, "%s:%u: %s: %s", c->file,
            line, field, why);
  else
    aw_fail(c->err, AW_ERR_INVALID_CONFIG, UINT64_MAX, "%s: %s: %s", c->file,
            field, why);
  return false;
}

static char *dupstr(const char *s) {
  size_t n = strlen(s);
  char *d = malloc(n + 1);
  if (d) memcpy(d, s, n + 1);
  return d;
}

/* Rejects keys of table t that are not in allowed (NULL-terminated). */
static bool only_keys(mctx *c, const toml_value *t, const char *section,
                      const char *const *allowed) {
  for (uint32_t i = 0; i < t->u.tab.n; i++) {
    const char *k = t->u.tab.kvs[i].key;
    bool ok = false;
    for (const char *const *a = allowed; *a; a++)
      if (strcmp(*a, k) == 0) ok = true;
    if (!ok) {
      char field[96];
      snprintf(field, sizeof field, "%s%s%s", section, *section ? "." : "", k);
      return mfail(c, t->u.tab.kvs[i].line, field,
                   *section ? "unknown key" : "unknown section or key");
    }
  }
  return true;
}

static const toml_value *want(mctx *c, const toml_value *t, const char *key,
                              toml_kind kind, const char *field, bool required,
                              uint32_t section_line, bool *ok) {
  const toml_value *v = toml_get(t, key);
  *ok = true;
  if (!v) {
    if (required) *ok = mfail(c, section_line, field, "missing");
    return NULL;
  }
  if (v->kind != kind) {
    *ok = mfail(c, v->line, field, "expected %s, found %s",
                toml_kind_name(kind), toml_kind_name(v->kind));
    return NULL;
  }
  return v;
}

/* A string field: non-empty and without NUL bytes. */
static bool get_string(mctx *c, const toml_value *t, const char *key,
                       const char *field, bool required, uint32_t line,
                       char **out) {
  bool ok;
  const toml_value *v =
      want(c, t, key, TOML_STRING, field, required, line, &ok);
  if (!v) return ok;
  if (v->u.str.len == 0) return mfail(c, v->line, field, "must not be empty");
  if (strlen(v->u.str.s) != v->u.str.len)
    return mfail(c, v->line, field, "must not contain NUL characters");
  *out = dupstr(v->u.str.s);
  if (!*out) return mfail(c, v->line, field, "out of memory");
  return true;
}

/* An integer field within [lo, hi]. */
static bool get_uint(mctx *c, const toml_value *t, const char *key,
                     const char *field, bool required, uint32_t line,
                     uint64_t lo, uint64_t hi, bool *has, uint64_t *out) {
  bool ok;
  const toml_value *v = want(c, t, key, TOML_INT, field, required, line, &ok);
  if (has) *has = v != NULL;
  if (!v) return ok;
  if (v->u.i < 0)
    return mfail(c, v->line, field, "must not be negative (found %lld)",
                 (long long)v->u.i);
  if ((uint64_t)v->u.i < lo || (uint64_t)v->u.i > hi)
    return mfail(c, v->line, field, "out of range: %lld (allowed %llu..%llu)",
                 (long long)v->u.i, (unsigned long long)lo,
                 (unsigned long long)hi);
  *out = (uint64_t)v->u.i;
  return true;
}

/* Joins base_dir and a relative path (absolute paths are kept). */
static char *resolve(const char *base_dir, const char *p) {
  if (p[0] == '/' || !base_dir || !*base_dir) return dupstr(p);
  size_t a = strlen(base_dir), b = strlen(p);
  char *r = malloc(a + b + 2);
  if (!r) return NULL;
  memcpy(r, base_dir, a);
  r[a] = '/';
  memcpy(r + a + 1, p, b + 1);
  return r;
}

static bool parse_component(mctx *c, const toml_value *root, aw_manifest *m,
                            const char *base_dir) {
  bool ok;
  const toml_value *comp =
      want(c, root, "component", TOML_TABLE, "[component]", true, 0, &ok);
  if (!comp) return ok;
  static const char *const keys[] = {"name", "version", "module", NULL};
  if (!only_keys(c, comp, "component", keys)) return false;
  if (!get_string(c, comp, "name", "component.name", true, comp->line,
                  &m->name) ||
      !get_string(c, comp, "version", "component.version", true, comp->line,
                  &m->version))
    return false;
  char *module = NULL;
  if (!get_string(c, comp, "module", "component.module", true, comp->line,
                  &module))
    return false;
  m->module_path = resolve(base_dir, module);
  free(module);
  if (!m->module_path) return mfail(c, 0, "component.module", "out of memory");
  return true;
}

static bool parse_resources(mctx *c, const toml_value *root, aw_manifest *m) {
  bool ok;
  const toml_value *res = want(c, root, "resources", TOML_TABLE,
                               "[resources.memory]", true, 0, &ok);
  if (!res) return ok;
  static const char *const keys[] = {"memory", "cpu", NULL};
  if (!only_keys(c, res, "resources", keys)) return false;
  const toml_value *mem = want(c, res, "memory", TOML_TABLE,
                               "[resources.memory]", true, res->line, &ok);
  if (!mem) return ok;
  static const char *const mkeys[] = {"max_bytes", "max_table_elements", NULL};
  uint64_t tab = 0;
  if (!only_keys(c, mem, "resources.memory", mkeys) ||
      !get_uint(c, mem, "max_bytes", "resources.memory.max_bytes", true,
                mem->line, 1, AW_MANIFEST_MAX_MEMORY, NULL,
                &m->max_memory_bytes) ||
      !get_uint(c, mem, "max_table_elements",
                "resources.memory.max_table_elements", false, 0, 0,
                AW_MANIFEST_MAX_TABLE_ELEMENTS, &m->has_max_table_elements,
                &tab))
    return false;
  m->max_table_elements = (uint32_t)tab;
  const toml_value *cpu =
      want(c, res, "cpu", TOML_TABLE, "[resources.cpu]", false, 0, &ok);
  if (!cpu) return ok;
  static const char *const ckeys[] = {"max_fuel", "timeout_ms", NULL};
  return only_keys(c, cpu, "resources.cpu", ckeys) &&
         get_uint(c, cpu, "max_fuel", "resources.cpu.max_fuel", false, 0, 0,
                  UINT64_MAX, &m->has_max_fuel, &m->max_fuel) &&
         get_uint(c, cpu, "timeout_ms", "resources.cpu.timeout_ms", false, 0, 0,
                  UINT64_MAX, &m->has_timeout_ms, &m->timeout_ms);
}

static bool parse_args(mctx *c, const toml_value *caps, aw_manifest *m) {
  bool ok;
  const toml_value *a =
      want(c, caps, "args", TOML_ARRAY, "capabilities.args", false, 0, &ok);
  if (!a) return ok;
  m->args = aw_calloc(a->u.arr.n, sizeof(char *));
  if (!m->args) return mfail(c, a->line, "capabilities.args", "out of memory");
  for (uint32_t i = 0; i < a->u.arr.n; i++) {
    const toml_value *s = a->u.arr.items[i];
    if (s->kind != TOML_STRING)
      return mfail(c, s->line, "capabilities.args", "expected string, found %s",
                   toml_kind_name(s->kind));
    if (strlen(s->u.str.s) != s->u.str.len)
      return mfail(c, s->line, "capabilities.args",
                   "must not contain NUL characters");
    if (!(m->args[i] = dupstr(s->u.str.s)))
      return mfail(c, s->line, "capabilities.args", "out of memory");
    m->nargs = i + 1;
  }
  return true;
}

static bool parse_env(mctx *c, const toml_value *caps, aw_manifest *m) {
  bool ok;
  const toml_value *e =
      want(c, caps, "env", TOML_TABLE, "capabilities.env", false, 0, &ok);
  if (!e) return ok;
  m->env = aw_calloc(e->u.tab.n, sizeof *m->env);
  if (!m->env) return mfail(c, e->line, "capabilities.env", "out of memory");
  for (uint32_t i = 0; i < e->u.tab.n; i++) {
    const toml_kv *kv = &e->u.tab.kvs[i];
    char field[96];
    snprintf(field, sizeof field, "capabilities.env.%s", kv->key);
    if (!kv->key[0] || strchr(kv->key, '='))
      return mfail(c, kv->line, field, "invalid variable name");
    if (kv->val->kind != TOML_STRING)
      return mfail(c, kv->val->line, field, "expected string, found %s",
                   toml_kind_name(kv->val->kind));
    if (strlen(kv->val->u.str.s) != kv->val->u.str.len)
      return mfail(c, kv->val->line, field, "must not contain NUL characters");
    m->env[i].name = dupstr(kv->key);
    m->env[i].value = dupstr(kv->val->u.str.s);
    m->nenv = i + 1;
    if (!m->env[i].name || !m->env[i].value)
      return mfail(c, kv->line, field, "out of memory");
  }
  return true;
}

static bool parse_dirs(mctx *c, const toml_value *caps, aw_manifest *m,
                       const char *base_dir) {
  bool ok;
  const toml_value *d =
      want(c, caps, "dirs", TOML_ARRAY, "capabilities.dirs", false, 0, &ok);
  if (!d) return ok;
  m->dirs = aw_calloc(d->u.arr.n, sizeof *m->dirs);
  if (!m->dirs) return mfail(c, d->line, "capabilities.dirs", "out of memory");
  for (uint32_t i = 0; i < d->u.arr.n; i++) {
    const toml_value *t = d->u.arr.items[i];
    if (t->kind != TOML_TABLE)
      return mfail(c, t->line, "capabilities.dirs", "expected table, found %s",
                   toml_kind_name(t->kind));
    static const char *const keys[] = {"host", "guest", "mode", NULL};
    if (!only_keys(c, t, "capabilities.dirs", keys)) return false;
    aw_manifest_dir *dir = &m->dirs[i];
    m->ndirs = i + 1;
    char *host = NULL, *mode = NULL;
    if (!get_string(c, t, "host", "capabilities.dirs.host", true, t->line,
                    &host))
      return false;
    dir->host = resolve(base_dir, host);
    free(host);
    if (!dir->host)
      return mfail(c, t->line, "capabilities.dirs.host", "out of memory");
    if (!get_string(c, t, "guest", "capabilities.dirs.guest", true, t->line,
                    &dir->guest) ||
        !get_string(c, t, "mode", "capabilities.dirs.mode", false, t->line,
                    &mode))
      return false;
    if (mode && strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0) {
      free(mode);
      const toml_value *mv = toml_get(t, "mode");
      return mfail(c, mv->line, "capabilities.dirs.mode",
                   "expected \"ro\" or \"rw\"");
    }
    dir->writable = mode && strcmp(mode, "rw") == 0;
    free(mode);
  }
  return true;
}

static bool parse_capabilities(mctx *c, const toml_value *root, aw_manifest *m,
                               const char *base_dir) {
  bool ok;
  const toml_value *caps = want(c, root, "capabilities", TOML_TABLE,
                                "[capabilities]", false, 0, &ok);
  if (!caps) return ok;
  static const char *const keys[] = {"args", "env", "dirs", NULL};
  return only_keys(c, caps, "capabilities", keys) && parse_args(c, caps, m) &&
         parse_env(c, caps, m) && parse_dirs(c, caps, m, base_dir);
}

aw_manifest *aw_manifest_parse(const char *text, size_t len,
                               const char *filename, const char *base_dir,
                               aw_error *err) {
  mctx c = {filename ? filename : "Component.toml", err};
  toml_error terr;
  toml_value *root = toml_parse(text, len, &terr);
  if (!root) {
    aw_fail(err, AW_ERR_INVALID_CONFIG, UINT64_MAX, "%s:%u: %s", c.file,
            terr.line, terr.message);
    return NULL;
  }
  aw_manifest *m = calloc(1, sizeof *m);
  if (!m) {
    toml_free(root);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  static const char *const sections[] = {"component", "resources",
                                         "capabilities", NULL};
  bool ok = only_keys(&c, root, "", sections) &&
            parse_component(&c, root, m, base_dir) &&
            parse_resources(&c, root, m) &&
            parse_capabilities(&c, root, m, base_dir);
  if (ok && !(m->path = dupstr(c.file)))
    ok = mfail(&c, 0, "manifest", "out of memory");
  toml_free(root);
  if (!ok) {
    aw_manifest_free(m);
    return NULL;
  }
  return m;
}

/* Reads a whole file; manifests are small, so anything over 1 MiB is
   refused rather than read. */
static char *read_file(const char *path, size_t *len, aw_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    aw_fail(err, AW_ERR_IO, UINT64_MAX, "%s: cannot open: %s", path,
            strerror(errno));
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
    if (n == cap) {
      if (cap >= (1u << 20)) {
        free(buf);
        fclose(f);
        aw_fail(err, AW_ERR_INVALID_CONFIG, UINT64_MAX,
                "%s: manifest larger than 1 MiB", path);
        return NULL;
      }
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
  }
  bool rerr = ferror(f);
  fclose(f);
  if (!buf) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  if (rerr) {
    free(buf);
    aw_fail(err, AW_ERR_IO, UINT64_MAX, "%s: read error", path);
    return NULL;
  }
  *len = n;
  return buf;
}

aw_manifest *aw_manifest_load(const char *path, aw_error *err) {
  size_t len;
  char *text = read_file(path, &len, err);
  if (!text) return NULL;
  char *dir = dupstr(path);
  if (!dir) {
    free(text);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  char *slash = strrchr(dir, '/');
  if (slash) *(slash == dir ? slash + 1 : slash) = '\0';
  aw_manifest *m = aw_manifest_parse(text, len, path, slash ? dir : NULL, err);
  free(dir);
  free(text);
  return m;
}

void aw_manifest_free(aw_manifest *m) {
  if (!m) return;
  free(m->path);
  free(m->name);
  free(m->version);
  free(m->module_path);
  for (uint32_t i = 0; i < m->nargs; i++)
    free(m->args[i]);
  free(m->args);
  for (uint32_t i = 0; i < m->nenv; i++) {
    free(m->env[i].name);
    free(m->env[i].value);
  }
  free(m->env);
  for (uint32_t i = 0; i < m->ndirs; i++) {
    free(m->dirs[i].host);
    free(m->dirs[i].guest);
  }
  free(m->dirs);
  free(m);
}
