"""Words the rendered tables use, in both languages of the site."""

from __future__ import annotations

from ..errors import CnnguideError

LANGUAGES = ("ko", "en")

HEADERS = {
    "layer": {"ko": "층", "en": "Layer"},
    "kind": {"ko": "종류", "en": "Type"},
    "kernel": {"ko": "커널 / 스트라이드", "en": "Kernel / stride"},
    "output": {"ko": "출력 (H×W×C)", "en": "Output (H×W×C)"},
    "activation": {"ko": "활성화", "en": "Activation"},
    "trainable": {"ko": "학습 파라미터", "en": "Trainable params"},
    "non_trainable": {"ko": "비학습 파라미터", "en": "Non-trainable params"},
    "params": {"ko": "파라미터", "en": "Parameters"},
    "macs": {"ko": "MAC", "en": "MACs"},
    "formula": {"ko": "계산", "en": "Arithmetic"},
    "total": {"ko": "합계", "en": "Total"},
    "input": {"ko": "입력", "en": "Input"},
    "ours": {"ko": "우리 모델", "en": "Our model"},
    "source": {"ko": "출처", "en": "Source"},
    "figure": {"ko": "항목", "en": "Figure"},
    "stated": {"ko": "출처의 값", "en": "Stated"},
    "verdict": {"ko": "판정", "en": "Verdict"},
    "post_table": {"ko": "원문 표", "en": "Post's table"},
    "post_code": {"ko": "원문 코드", "en": "Post's code"},
}

KINDS = {
    "conv": {"ko": "합성곱", "en": "Convolution"},
    "dense": {"ko": "완전 연결", "en": "Dense"},
    "avg_pool": {"ko": "평균 풀링", "en": "Average pooling"},
    "max_pool": {"ko": "최대 풀링", "en": "Max pooling"},
    "global_avg_pool": {"ko": "전역 평균 풀링", "en": "Global average pooling"},
    "flatten": {"ko": "펼치기", "en": "Flatten"},
    "batch_norm": {"ko": "배치 정규화", "en": "Batch normalization"},
    "dropout": {"ko": "드롭아웃", "en": "Dropout"},
    "activation": {"ko": "활성화", "en": "Activation"},
    "add": {"ko": "덧셈", "en": "Add"},
    "concat": {"ko": "이어 붙이기", "en": "Concatenate"},
    "zero_pad": {"ko": "제로 패딩", "en": "Zero padding"},
}

VERDICTS = {
    "exact": {"ko": "일치", "en": "exact"},
    "within": {"ko": "허용 오차 안", "en": "within tolerance"},
    "differs": {"ko": "설계상 다름", "en": "differs by design"},
    "mismatch": {"ko": "불일치", "en": "mismatch"},
}


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise CnnguideError(f"Unknown language {lang!r}: use one of {', '.join(LANGUAGES)}.")
    return lang


def header(key: str, lang: str) -> str:
    return HEADERS[key][check_language(lang)]


def kind(name: str, lang: str) -> str:
    return KINDS.get(name, {}).get(check_language(lang), name)


def number(value: int | float) -> str:
    """Thousands separators, as both Korean and English write them: 61706 -> '61,706'."""
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4g}"
