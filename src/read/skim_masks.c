/*
 * skim_masks.c - the masks of 64-byte blocks of JSON text that skim.c
 * walks: bit i of each is byte i of the block. With AVX2 and a carry-less
 * multiply where the processor has them (chosen at run time), else with
 * SSE2, else byte by byte.
 */
#include "extract_state.h"

#include <stdint.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

static void masks_plain(const char *p, size_t blocks, struct skim_masks *m)
{
	for (size_t k = 0; k < blocks; k++, p += 64) {
		struct skim_masks b = { 0, 0, 0, 0 };
#ifdef __SSE2__
		const __m128i quote = _mm_set1_epi8('"');
		const __m128i backslash = _mm_set1_epi8('\\');
		const __m128i ctl = _mm_set1_epi8(0x1f);
		for (unsigned i = 0; i < 64; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			__m128i c = _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl); /* v <= 0x1f */
			b.quote |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << i;
			b.backslash |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)) << i;
			b.ctl |= (uint64_t)(uint16_t)_mm_movemask_epi8(c) << i;
		}
#else
		for (unsigned i = 0; i < 64; i++) {
			unsigned char c = (unsigned char)p[i];
			b.quote |= (uint64_t)(c == '"') << i;
			b.backslash |= (uint64_t)(c == '\\') << i;
			b.ctl |= (uint64_t)(c < 0x20) << i;
		}
#endif
		b.quotes_xor = skim_prefix_xor(b.quote);
		m[k] = b;
	}
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

__attribute__((target("avx2,pclmul"))) static void masks_avx2(const char *p, size_t blocks,
						       struct skim_masks *m)
{
	const __m256i quote = _mm256_set1_epi8('"');
	const __m256i backslash = _mm256_set1_epi8('\\');
	const __m256i ctl = _mm256_set1_epi8(0x1f);
	for (size_t k = 0; k < blocks; k++, p += 64) {
		__m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
		__m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
		uint64_t q = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, quote)) |
			     (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, quote)) << 32;
		uint64_t s = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, backslash)) |
			     (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, backslash)) << 32;
		__m256i clo = _mm256_cmpeq_epi8(_mm256_max_epu8(lo, ctl), ctl);
		__m256i chi = _mm256_cmpeq_epi8(_mm256_max_epu8(hi, ctl), ctl);
		uint64_t c = (uint32_t)_mm256_movemask_epi8(clo) |
			     (uint64_t)(uint32_t)_mm256_movemask_epi8(chi) << 32;
		__m128i px = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)q), _mm_set1_epi8(-1), 0);
		m[k] = (struct skim_masks){ q, s, c, (uint64_t)_mm_cvtsi128_si64(px) };
	}
}
#endif

skim_masks_fn *skim_pick_masks(enum extract_skim how)
{
	if (how != EXTRACT_SKIM_BEST)
		return masks_plain;
#if defined(__x86_64__) && defined(__GNUC__)
	/* libgcc's constructor has filled in what __builtin_cpu_supports reads */
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul"))
		return masks_avx2;
#endif
	return masks_plain;
}

