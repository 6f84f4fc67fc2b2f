from .metrics import SequencePSNRSSIM
from .protocols import PROTOCOLS, EvaluationProtocol, resolve_protocol, resolve_protocols

__all__ = ['SequencePSNRSSIM', 'EvaluationProtocol', 'PROTOCOLS', 'resolve_protocol',
           'resolve_protocols']
