// lang_eval_cld2.cc — CLD2 (Debian libcld2) for lang_eval.c: the language
// code of a text, or "und" when CLD2 says its answer is not reliable.
#include <cstddef>
#include <cstdio>   // compact_lang_det.h uses FILE without including it

#include <cld2/public/compact_lang_det.h>

extern "C" const char *nd_eval_cld2(const char *s, size_t len);

extern "C" const char *nd_eval_cld2(const char *s, size_t len)
{
    bool reliable = false;
    int valid = 0;
    CLD2::Language l = CLD2::DetectLanguageCheckUTF8(s, (int)len, true, &reliable, &valid);
    if (!reliable || l == CLD2::UNKNOWN_LANGUAGE)
        return "und";
    return CLD2::LanguageCode(l);
}
