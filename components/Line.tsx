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

/** One terminal row: never wraps, never wider than `width`. */
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
});
