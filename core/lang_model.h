/*
 * lang_model.h — the tables of the language model, generated at build time
 * by core/langgen/gen_lang.py into $(BUILD)/gen/lang_model.c.  Internal to
 * core/lang.c.
 *
 * A text is scored by its character n-grams (n = 1..3, a word padded with one
 * space on each side, letters lower-cased and indexed by nd__lang_letter_*).
 * An n-gram packs as (n << 30) | l1 << 20 | l2 << 10 | l3 (a space is letter
 * 0, a shorter n-gram leaves the high letters 0) and is looked up in
 * nd__lang_slots by open addressing: start at the top nd__lang_slot_bits
 * bits of key * 2654435761 (32-bit), step by one; key 0 is an empty slot.
 * A slot's val is (script << 30) | offset: the n-gram's row of bonuses at
 * nd__lang_rows + offset, one byte per class of that script (the classes
 * nd__lang_scripts[script].base ... + width - 1; padding bytes are 0).  A
 * class's score is the sum of its bonuses, in units of 1/nd__lang_scale nat
 * of log-likelihood.
 */
#ifndef ND_LANG_MODEL_H
#define ND_LANG_MODEL_H

#include <stddef.h>
#include <stdint.h>

enum { ND__LANG_LATIN, ND__LANG_CYRILLIC, ND__LANG_ARABIC, ND__LANG_NSCRIPTS };

#define ND__LANG_MAXCLASSES 64

typedef struct nd__lang_class {
    char code[4];             /* ISO 639-1 */
    uint8_t script;           /* ND__LANG_LATIN ... */
    uint8_t named;            /* 1: nd_lang_detect names it; 0: it stands for "und" */
} nd__lang_class;

typedef struct nd__lang_letter {
    uint32_t cp;
    uint16_t letter;
} nd__lang_letter;

typedef struct nd__lang_slot {
    uint32_t key, val;
} nd__lang_slot;

/* A function word: its letter indexes, one per byte, first letter highest;
 * bit k of classes: class k lists it; sole: 1 when one class lists it and
 * every class of its script has a list (no other class writes it). */
typedef struct nd__lang_word {
    uint64_t letters, classes;
    int sole;
} nd__lang_word;

/* A marker letter of a class (gen_lang.py): class, letter index, and the
 * class's rate of that letter in millionths per letter. */
typedef struct nd__lang_marker {
    uint8_t cls;
    uint16_t letter;
    uint32_t rate;
} nd__lang_marker;

typedef struct nd__lang_script {
    uint8_t base, width;      /* first class of the script; row length (a multiple of 4) */
} nd__lang_script;

extern const int nd__lang_scale;
extern const size_t nd__lang_nclasses;            /* <= ND__LANG_MAXCLASSES */
extern const unsigned nd__lang_slot_bits;
extern const nd__lang_class nd__lang_classes[];
extern const uint16_t nd__lang_letter_lo[0x780];  /* letter index of code points below 0x780 */
extern const nd__lang_letter nd__lang_letter_hi[];  /* the others, sorted by cp */
extern const size_t nd__lang_nletter_hi;
extern const nd__lang_slot nd__lang_slots[];
extern const nd__lang_script nd__lang_scripts[ND__LANG_NSCRIPTS];
extern const uint8_t nd__lang_rows[];
extern const nd__lang_word nd__lang_words[];     /* sorted by letters */
extern const size_t nd__lang_nwords;
extern const nd__lang_marker nd__lang_markers[];  /* by class, then letter */
extern const size_t nd__lang_nmarkers;

#endif
