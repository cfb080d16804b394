/*
 * linker.c - the linker: a map (module name, field name) -> aw_extern with
 * byte-exact names (any UTF-8, NUL bytes included: lengths, not
 * terminators, delimit them), and instantiation by resolving each import
 * by name.
 */
#include "runtime/rt_internal.h"

typedef struct rt_link_entry {
  char *mod; /* one allocation: module name, then field name */
  size_t mod_len;
  char *name;
  size_t name_len;
  uint32_t hash;
  aw_extern ext;
} rt_link_entry;

struct aw_linker {
  aw_store *store;
  rt_link_entry *entries;
  uint32_t n, cap;
  uint32_t *index; /* open addressing, UINT32_MAX = empty */
  uint32_t index_cap;
};

aw_linker *aw_linker_new(aw_store *s) {
  if (!s) return NULL;
  aw_linker *l = calloc(1, sizeof *l);
  if (!l) return NULL;
  l->store = s;
  return l;
}

void aw_linker_free(aw_linker *l) {
  if (!l) return;
  for (uint32_t i = 0; i < l->n; i++)
    free(l->entries[i].mod);
  free(l->entries);
  free(l->index);
  free(l);
}

static uint32_t name_hash(const char *mod, size_t mod_len, const char *name,
                          size_t name_len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < mod_len; i++)
    h = (h ^ (uint8_t)mod[i]) * 16777619u;
  h = (h ^ 0xFFu) * 16777619u; /* separator: not a valid UTF-8 byte */
  for (size_t i = 0; i < name_len; i++)
    h = (h ^ (uint8_t)name[i]) * 16777619u;
  return h ^ (h >> 16);
}

/* Index of the entry named (mod, name), or UINT32_MAX. */
static uint32_t lookup(const aw_linker *l, const char *mod, size_t mod_len,
                       const char *name, size_t name_len, uint32_t h) {
  if (!l->index_cap) return UINT32_MAX;
  uint32_t mask = l->index_cap - 1;
  for (uint32_t i = h & mask; l->index[i] != UINT32_MAX; i = (i + 1) & mask) {
    const rt_link_entry *e = &l->entries[l->index[i]];
    if (e->hash == h && e->mod_len == mod_len && e->name_len == name_len &&
        (mod_len == 0 || memcmp(e->mod, mod, mod_len) == 0) &&
        (name_len == 0 || memcmp(e->name, name, name_len) == 0))
      return l->index[i];
  }
  return UINT32_MAX;
}

static bool reindex(aw_linker *l, uint32_t need) {
  uint64_t cap = 16;
  while (cap < (uint64_t)need * 2)
    cap *= 2;
  if (cap > UINT32_MAX) return false;
  uint32_t *idx = malloc((size_t)cap * sizeof *idx);
  if (!idx) return false;
  memset(idx, 0xFF, (size_t)cap * sizeof *idx);
  uint32_t mask = (uint32_t)cap - 1;
  for (uint32_t k = 0; k < l->n; k++) {
    uint32_t i = l->entries[k].hash & mask;
    while (idx[i] != UINT32_MAX)
      i = (i + 1) & mask;
    idx[i] = k;
  }
  free(l->index);
  l->index = idx;
  l->index_cap = (uint32_t)cap;
  return true;
}

/* Defines (mod, name) with explicit lengths. */
static bool define(aw_linker *l, const char *mod, size_t mod_len,
                   const char *name, size_t name_len, aw_extern ext) {
  uint32_t h = name_hash(mod, mod_len, name, name_len);
  uint32_t k = lookup(l, mod, mod_len, name, name_len, h);
  if (k != UINT32_MAX) {
    l->entries[k].ext = ext;
    return true;
  }
  if (l->n == UINT32_MAX / 2 || mod_len > SIZE_MAX / 2 - name_len - 2)
    return false;
  if (!aw_grow((void **)&l->entries, sizeof *l->entries, &l->cap, l->n + 1))
    return false;
  if ((uint64_t)(l->n + 1) * 2 > l->index_cap && !reindex(l, l->n + 1))
    return false;
  char *buf = malloc(mod_len + name_len + 2);
  if (!buf) return false;
  if (mod_len) memcpy(buf, mod, mod_len);
  buf[mod_len] = '\0';
  if (name_len) memcpy(buf + mod_len + 1, name, name_len);
  buf[mod_len + 1 + name_len] = '\0';
  rt_link_entry *e = &l->entries[l->n];
  *e = (rt_link_entry){buf, mod_len, buf + mod_len + 1, name_len, h, ext};
  uint32_t mask = l->index_cap - 1, i = h & mask;
  while (l->index[i] != UINT32_MAX)
    i = (i + 1) & mask;
  l->index[i] = l->n++;
  return true;
}

bool aw_linker_define(aw_linker *l, const char *mod, const char *name,
                      aw_extern ext) {
  if (!l || !mod || !name) return false;
  return define(l, mod, strlen(mod), name, strlen(name), ext);
}

bool aw_linker_define_n(aw_linker *l, const char *mod, size_t mod_len,
                        const char *name, size_t name_len, aw_extern ext) {
  if (!l || (!mod && mod_len) || (!name && name_len)) return false;
  return define(l, mod ? mod : "", mod_len, name ? name : "", name_len, ext);
}

bool aw_linker_define_instance(aw_linker *l, const char *mod,
                               const aw_instance *inst) {
  if (!l || !mod || !inst) return false;
  const wm_module *m = &inst->module->m;
  size_t mod_len = strlen(mod);
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wm_export *ex = &m->exports[i];
    aw_extern ext;
    rt_export_extern(inst, ex, &ext);
    if (!define(l, mod, mod_len, ex->name.s, ex->name.len, ext)) return false;
  }
  return true;
}

aw_instance *aw_linker_instantiate(aw_linker *l, const aw_module *mod,
                                   aw_error *err) {
  aw_error local;
  if (!err) err = &local;
  aw_error_clear(err);
  if (!l || !mod) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "aw_linker_instantiate: %s is NULL", l ? "module" : "linker");
    return NULL;
  }
  const wm_module *m = &mod->m;
  aw_extern *ext = aw_calloc(m->nimports, sizeof *ext);
  if (!ext) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wm_import *im = &m->imports[i];
    uint32_t h =
        name_hash(im->module.s, im->module.len, im->name.s, im->name.len);
    uint32_t k =
        lookup(l, im->module.s, im->module.len, im->name.s, im->name.len, h);
    if (k == UINT32_MAX) {
      char mname[64], fname[64];
      rt_quote_name(mname, sizeof mname, im->module.s, im->module.len);
      rt_quote_name(fname, sizeof fname, im->name.s, im->name.len);
      aw_fail(err, AW_ERR_LINK, UINT64_MAX, "unknown import: \"%s\" \"%s\"",
              mname, fname);
      free(ext);
      return NULL;
    }
    ext[i] = l->entries[k].ext;
  }
  aw_instance *inst = rt_instantiate(l->store, mod, ext, m->nimports, err);
  free(ext);
  return inst;
}
