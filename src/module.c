/*
 * module.c - wm_module_free: releases everything a decoded (and possibly
 * compiled) module owns.  Works on partially filled modules too: the
 * decoder sets each count together with its (zeroed) array.
 */
#include "module.h"
#include "compile/compile.h"
#include <stdlib.h>
#include <string.h>

void wm_module_free(wm_module *m) {
  if (!m) return;
  for (uint32_t i = 0; m->types && i < m->ntypes; i++)
    free(m->types[i].params); /* results share this allocation */
  free(m->types);
  for (uint32_t i = 0; m->imports && i < m->nimports; i++) {
    free(m->imports[i].module.s);
    free(m->imports[i].name.s);
  }
  free(m->imports);
  free(m->func_types);
  if (m->funcs && m->nfuncs >= m->nfuncs_imported) {
    uint32_t ndef = m->nfuncs - m->nfuncs_imported;
    for (uint32_t i = 0; i < ndef; i++) {
      free(m->funcs[i].local_types);
      if (m->funcs[i].code) cg_code_free(m->funcs[i].code);
    }
  }
  free(m->funcs);
  free(m->tables);
  free(m->mems);
  free(m->globals);
  for (uint32_t i = 0; m->exports && i < m->nexports; i++)
    free(m->exports[i].name.s);
  free(m->exports);
  for (uint32_t i = 0; m->elems && i < m->nelems; i++) {
    free(m->elems[i].funcs);
    free(m->elems[i].exprs);
  }
  free(m->elems);
  free(m->datas);
  free(m->func_declared);
  free(m->bin);
  memset(m, 0, sizeof *m);
}
