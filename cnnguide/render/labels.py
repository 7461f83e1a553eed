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
    "trainable_total": {"ko": "합계 (학습 파라미터)", "en": "Total (trainable)"},
    "moving_statistics": {"ko": "배치 정규화의 이동 평균과 분산 {frozen}개는 학습하지 않으므로 위의 행에 없습니다. "
                                "Keras의 `count_params()`처럼 이것까지 세면 모델의 파라미터는 {params}개입니다.",
                          "en": "Batch normalization's {frozen} moving means and variances are not trained, so the "
                                "rows leave them out; counted too, as Keras's `count_params()` counts them, the "
                                "model holds {params}."},
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
    "lrn": {"ko": "국소 응답 정규화", "en": "Local response normalization"},
    "adaptive_avg_pool": {"ko": "적응형 평균 풀링", "en": "Adaptive average pooling"},
    "global_max_pool": {"ko": "전역 최대 풀링", "en": "Global max pooling"},
    "multiply": {"ko": "곱셈", "en": "Multiply"},
    "stochastic_depth": {"ko": "확률적 깊이", "en": "Stochastic depth"},
    "reshape": {"ko": "모양 바꾸기", "en": "Reshape"},
    "split": {"ko": "나누기", "en": "Split"},
}

# Words of the architecture diagrams (cnnguide.render.diagrams).
DIAGRAM = {
    "model": {"ko": "신경망", "en": "Network"},
    "title": {"ko": "{name} 구조", "en": "{name} architecture"},
    "block_title": {"ko": "{name} · {block} 블록", "en": "{name} · {block} block"},
    "summary": {"ko": "입력 {input}에서 출력 {output}까지 왼쪽에서 오른쪽으로 그린 그림입니다. "
                      "층 {rows}개({layers}), 파라미터 {params}개.",
                "en": "Drawn left to right from the {input} input to the {output} output. "
                      "{rows} layers ({layers}); {params} parameters."},
    "branches": {"ko": "갈래가 나뉘었다 합쳐지는 블록 {count}개.",
                 "en": "Blocks whose branches run side by side and then join: {count}."},
    "arcs": {"ko": "스킵 연결(skip connection) {count}개는 덧셈(+) 또는 이어 붙이기로 들어가는 호입니다.",
             "en": "Skip connections, drawn as arcs into an addition (+) or a concatenation: {count}."},
    "repeats": {"ko": "연달아 반복되는 블록 {count}개는 한 번만 그리고 반복 횟수(× n)를 적었습니다.",
                "en": "Runs of repeated blocks, each drawn once with its count (× n): {count}."},
    "grouped": {"ko": "그룹 합성곱 {count}개는 출력을 그룹마다 상자 하나로 위아래로 쌓아 그렸습니다"
                      "(상자는 {towers}개까지, 그보다 많으면 첫 그룹과 마지막 그룹 사이를 점으로).",
                "en": "Grouped convolutions, each output drawn as its groups stacked, one box per "
                      "group (up to {towers}; beyond that the first and the last, with dots between): {count}."},
    "sides": {"ko": "주 출력으로 돌아오지 않는 보조 갈래 {count}개는 아래에 매달았습니다.",
              "en": "Auxiliary branches that do not rejoin the main output, hanging below: {count}."},
    "scale": {"ko": "상자 하나가 특징 맵 하나입니다. 높이는 {height} 픽셀, 너비는 {width} 픽셀이고"
                    "(H×W×C 맵, 길이 n인 벡터는 1×1×n), 아래에 커널/스트라이드, 출력 크기, 활성화 함수를 적었습니다.",
              "en": "Each box is a feature map, {height} px high and {width} px wide (for an "
                    "H×W×C map; a vector of n values counts as 1×1×n), labelled with its kernel/stride, "
                    "output shape and activation."},
    "scale_short": {"ko": "상자 높이 = {height}, 너비 = {width} (특징 맵 H×W×C, 벡터 n은 1×1×n)",
                    "en": "Box height = {height}, width = {width} (feature map H×W×C; a vector n is 1×1×n)"},
    "repeat": {"ko": "반복 블록", "en": "Repeated block"},
    "groups": {"ko": "그룹 합성곱 (그룹마다 상자 하나)", "en": "Grouped convolution (a box per group)"},
    "shortcut": {"ko": "스킵 연결", "en": "Skip connection"},
    "side": {"ko": "보조 출력", "en": "auxiliary output"},
    "graph": {"ko": "{framework}가 그린 {name}의 전체 연산 그래프",
              "en": "{name}: the full computational graph, as {framework} draws it"},
    "keras_graph_note": {"ko": "Keras의 model_to_dot: 층마다 노드 하나와 그 입력·출력 크기(배치 축은 None, 순서는 N×H×W×C).",
                         "en": "Keras's model_to_dot: one node per layer, with its input and output shapes "
                               "(batch axis None, order N×H×W×C)."},
    "torch_graph_note": {"ko": "torchview: 모듈 호출과 함수 호출을 모두 그리고, 깊이 {depth}보다 깊은 모듈은 "
                               "노드 하나로 접었습니다(크기 순서는 N×C×H×W).",
                         "en": "torchview: every module and function call, with modules nested deeper than "
                               "depth {depth} folded into one node (shapes in N×C×H×W order)."},
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
