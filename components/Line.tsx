import { Text } from 'ink';
import Spinner from 'ink-spinner';
import { memo } from 'react';
import { useColors } from './context.js';
import { fitSegments, isSpinner, type Segment } from './segments.js';
import { toneColor } from './theme.js';

interface LineProps {
  segments: readonly Segment[];
  width: number;
}

/**
 * One terminal row: never wraps, never wider than `width`. Panes build their rows afresh on every
 * render; a row whose segments read the same as last frame's is not rendered again, so only the
 * rows that changed cost a layout.
 */
export const Line = memo(function Line({ segments, width }: LineProps) {
  const colors = useColors();
  const fitted = fitSegments(segments, width);
  return (
    <Text wrap="truncate-end">
      {fitted.length === 0 ? ' ' : null}
      {fitted.map((segment, index) =>
        isSpinner(segment) ? (
          <Spinner key={index} type={segment.type} />
        ) : (
          <Text
            key={index}
            color={toneColor(segment.tone, colors)}
            bold={segment.bold}
            inverse={segment.inverse}
            dimColor={segment.dim || (segment.tone === 'muted' && !colors)}
          >
            {segment.text}
          </Text>
        ),
      )}
    </Text>
  );
}, sameLine);

function sameLine(a: LineProps, b: LineProps): boolean {
  if (a.width !== b.width) return false;
  if (a.segments === b.segments) return true;
  if (a.segments.length !== b.segments.length) return false;
  return a.segments.every((segment, index) => sameSegment(segment, b.segments[index] as Segment));
}

function sameSegment(a: Segment, b: Segment): boolean {
  if (isSpinner(a) || isSpinner(b)) {
    return isSpinner(a) && isSpinner(b) && a.type === b.type && a.width === b.width;
  }
  return (
    a.text === b.text &&
    a.tone === b.tone &&
    a.bold === b.bold &&
    a.inverse === b.inverse &&
    a.dim === b.dim &&
    a.whole === b.whole
  );
}
