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

#ifdef __SSE2__
/* Bit i: byte i of the 16 at v equals c */
static uint64_t eq16(__m128i v, char c)
{
	return (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

/* Bit i: byte i of the 16 at v is below 0x20 */
static uint64_t ctl16(__m128i v)
{
	const __m128i top = _mm_set1_epi8(0x1f);
	return (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, top), top));
}
#endif

static void masks_plain(const char *p, size_t blocks, struct skim_masks *m)
{
	for (size_t k = 0; k < blocks; k++, p += 64) {
		struct skim_masks b = { 0, 0, 0, 0 };
#ifdef __SSE2__
		for (unsigned i = 0; i < 64; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			b.quote |= eq16(v, '"') << i;
			b.backslash |= eq16(v, '\\') << i;
			b.ctl |= ctl16(v) << i;
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

#define AVX2 __attribute__((target("avx2,pclmul")))

/* Bit i: byte i of the 64 at lo and hi equals c */
AVX2 static uint64_t eq64(__m256i lo, __m256i hi, char c)
{
	const __m256i x = _mm256_set1_epi8(c);
	return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, x)) |
	       (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, x)) << 32;
}

/* Bit i: byte i of the 64 at lo and hi is below 0x20 */
AVX2 static uint64_t ctl64(__m256i lo, __m256i hi)
{
	const __m256i top = _mm256_set1_epi8(0x1f);
	uint64_t l =
	    (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_max_epu8(lo, top), top));
	uint64_t h =
	    (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_max_epu8(hi, top), top));
	return l | h << 32;
}

/* Bit i: the parity of bits 0..i of x, by a carry-less multiply with all ones */
AVX2 static uint64_t clmul_prefix_xor(uint64_t x)
{
	__m128i p = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8(-1), 0);
	return (uint64_t)_mm_cvtsi128_si64(p);
}

AVX2 static void masks_avx2(const char *p, size_t blocks, struct skim_masks *m)
{
	for (size_t k = 0; k < blocks; k++, p += 64) {
		__m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
		__m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
		uint64_t q = eq64(lo, hi, '"');
		m[k] = (struct skim_masks){ q, eq64(lo, hi, '\\'), ctl64(lo, hi),
					    clmul_prefix_xor(q) };
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
